namespace Ciba.Application.Tokens;

/// <summary>Signs the tokens of a redeemed grant with the current key of the grant's organization.</summary>
public interface ITokenIssuer
{
    ValueTask<IssuedTokens> IssueAsync(TokenGrant grant, CancellationToken cancellationToken);

    /// <summary>The public parts of every key the organization publishes, for its JWKS.</summary>
    ValueTask<IReadOnlyList<PublicSigningKey>> GetPublicKeysAsync(Guid organizationId, CancellationToken cancellationToken);
}

/// <summary>What a redeemed CIBA grant entitles its client to.</summary>
/// <param name="OrganizationId">The organization whose key signs the tokens.</param>
/// <param name="Issuer">The organization's issuer identifier.</param>
/// <param name="Audience">The resource the access token is for (RFC 9068 §3).</param>
/// <param name="AuthReqId">Set for push delivery (CIBA Core §10.3.1): the ID token then carries it and <c>at_hash</c>.</param>
public sealed record TokenGrant(
    Guid OrganizationId,
    string Issuer,
    string Audience,
    string ClientId,
    Guid UserId,
    string Scope,
    DateTimeOffset AuthenticatedAt,
    DateTimeOffset IssuedAt,
    string? AuthReqId = null);

public sealed record IssuedTokens(string AccessToken, string IdToken, int ExpiresInSeconds);

/// <summary>An RSA public key as a JWK (RFC 7517, RFC 7518 §6.3.1): modulus and exponent base64url-encoded.</summary>
public sealed record PublicSigningKey(string KeyId, string Algorithm, string Modulus, string Exponent);
