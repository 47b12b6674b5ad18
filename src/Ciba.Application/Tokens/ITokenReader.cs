namespace Ciba.Application.Tokens;

/// <summary>Validates tokens this service issued itself.</summary>
public interface ITokenReader
{
    /// <summary>
    /// Validates an access token (RFC 9068): signature with a key of the ring, issuer, audience,
    /// type and expiry. Null when any check fails.
    /// </summary>
    ValueTask<AccessTokenClaims?> ReadAccessTokenAsync(string token, string expectedIssuer, string expectedAudience, CancellationToken cancellationToken);

    /// <summary>
    /// Validates an ID token presented as <c>id_token_hint</c> (CIBA Core §7.1, §14): signature,
    /// issuer, and the presenting client among the audiences; expiry is not checked. Null when it fails.
    /// </summary>
    ValueTask<Guid?> ReadIdTokenHintAsync(string token, string expectedIssuer, string clientId, CancellationToken cancellationToken);
}

public sealed record AccessTokenClaims(Guid UserId, string ClientId, string Scope);
