namespace Ciba.Application.Tokens;

/// <summary>Validates tokens this service issued itself, with the keys of one organization only.</summary>
public interface ITokenReader
{
    /// <summary>
    /// Validates an access token (RFC 9068): signature with a published key of the organization,
    /// issuer, audience, type and expiry. Null when any check fails.
    /// </summary>
    ValueTask<AccessTokenClaims?> ReadAccessTokenAsync(Guid organizationId, string token, string expectedIssuer, string expectedAudience, CancellationToken cancellationToken);

    /// <summary>
    /// Validates an ID token presented as <c>id_token_hint</c> (CIBA Core §7.1, §14; product.md §12):
    /// signature with a key of the organization, issuer, the presenting client among the audiences,
    /// and expired at most <see cref="IdTokenHint.MaxAgePastExpiry"/> ago.
    /// </summary>
    /// <summary>
    /// Reads an access token this organization issued, for introspection and revocation (RFC 7662,
    /// RFC 7009): signature with a published key, issuer and type, whatever its audience; null when
    /// any check fails. Its lifetime is the caller's to judge.
    /// </summary>
    ValueTask<IssuedAccessToken?> ReadIssuedAccessTokenAsync(Guid organizationId, string token, string expectedIssuer, CancellationToken cancellationToken);

    ValueTask<IdTokenHint> ReadIdTokenHintAsync(Guid organizationId, string token, string expectedIssuer, string clientId, CancellationToken cancellationToken);
}

/// <param name="Jti">The token's id, checked against revoked access tokens.</param>
/// <param name="GrantId">The refresh-token family it was issued with, checked against revoked families.</param>
public sealed record AccessTokenClaims(Guid UserId, string ClientId, string Scope, string? Jti = null, Guid? GrantId = null);

/// <summary>An access token this organization issued, as introspection reports it.</summary>
public sealed record IssuedAccessToken(
    Guid UserId, string ClientId, string Scope, string Jti, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, IReadOnlyList<string> Audiences, Guid? GrantId = null);

public enum IdTokenHintStatus
{
    Valid,
    Invalid,
    ExpiredTooLongAgo,
}

/// <summary>The outcome of reading an <c>id_token_hint</c>; <see cref="UserId"/> is set when valid.</summary>
public sealed record IdTokenHint(IdTokenHintStatus Status, Guid? UserId)
{
    /// <summary>product.md §12: an expired hint still identifies the person for 30 days.</summary>
    public static readonly TimeSpan MaxAgePastExpiry = TimeSpan.FromDays(30);

    public static readonly IdTokenHint Invalid = new(IdTokenHintStatus.Invalid, null);

    public static readonly IdTokenHint ExpiredTooLongAgo = new(IdTokenHintStatus.ExpiredTooLongAgo, null);

    public static IdTokenHint Valid(Guid userId) => new(IdTokenHintStatus.Valid, userId);
}
