namespace Ciba.Application.Tokens;

/// <summary>Signs the tokens of a redeemed grant with the current keys of the grant's organization.</summary>
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
    string? AuthReqId = null)
{
    /// <summary>The application's ID token algorithm (product.md §10); access tokens are always RS256 (ADR 0023).</summary>
    public string IdTokenSigningAlgorithm { get; init; } = Domain.Applications.SigningAlgorithms.Default;

    /// <summary>Every resource the access token is for (RFC 8707 §2); when set, it replaces <see cref="Audience"/>.</summary>
    public IReadOnlyList<string>? Audiences { get; init; }

    /// <summary>The refresh token pushed with these tokens, for the ID token's <c>rt_hash</c> (CIBA Core §10.3.1).</summary>
    public string? RefreshToken { get; init; }

    /// <summary>The ID token's <c>acr</c>: the level the approving session achieved (product.md §16).</summary>
    public string? Acr { get; init; }

    /// <summary>The ID token's <c>amr</c>: the methods the approving session used; none is read as <c>pwd</c>.</summary>
    public IReadOnlyList<string>? Amr { get; init; }

    /// <summary>The refresh-token family of the grant, carried by the access token so that revoking the family revokes it too.</summary>
    public Guid? GrantId { get; init; }
}

/// <summary>How an access token names the refresh-token family it was issued with (RFC 7009 §2.1, ADR 0025).</summary>
public static class AccessTokenGrants
{
    /// <summary>A private claim (RFC 7519 §4.3): the family id, 32 hex digits.</summary>
    public const string ClaimName = "grant_id";

    public const int LifetimeSeconds = 3600;

    /// <summary>How long after a family is revoked an access token it issued may still be unexpired.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(LifetimeSeconds);
}

public sealed record IssuedTokens(string AccessToken, string IdToken, int ExpiresInSeconds);

/// <summary>
/// A public signing key as a JWK (RFC 7517), for exactly one algorithm: <c>RSA</c> with modulus and
/// exponent (RFC 7518 §6.3.1), or <c>EC</c> with curve and coordinates (RFC 7518 §6.2.1), base64url-encoded.
/// </summary>
public sealed record PublicSigningKey(
    string KeyId, string Algorithm, string KeyType, string? Modulus = null, string? Exponent = null, string? Curve = null, string? X = null, string? Y = null);
