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
public sealed record TokenGrant(
    Guid OrganizationId,
    string Issuer,
    string Audience,
    string ClientId,
    Guid UserId,
    string Scope,
    DateTimeOffset AuthenticatedAt,
    DateTimeOffset IssuedAt)
{
    /// <summary>Every resource the access token is for (RFC 8707 §2); when set, it replaces <see cref="Audience"/>.</summary>
    public IReadOnlyList<string>? Audiences { get; init; }
}

public sealed record IssuedTokens(string AccessToken, string IdToken, int ExpiresInSeconds);

/// <summary>An RSA public key as a JWK (RFC 7517, RFC 7518 §6.3.1): modulus and exponent base64url-encoded.</summary>
public sealed record PublicSigningKey(string KeyId, string Algorithm, string Modulus, string Exponent);
