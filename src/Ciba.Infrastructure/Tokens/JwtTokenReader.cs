using Ciba.Application.Tokens;
using Ciba.Domain.Applications;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Tokens;

/// <summary>Validates tokens signed by the keys of one organization, never another's.</summary>
public sealed class JwtTokenReader(SigningKeyRing ring, TimeProvider time) : ITokenReader
{
    private const int MaxTokenLength = 8192;
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly string[] AccessTokenAlgorithms = [SigningAlgorithms.Default];
    private static readonly string[] IdTokenAlgorithms = [.. SigningAlgorithms.All];
    private static readonly string[] AccessTokenTypes = [JwtTokenIssuer.AccessTokenType];

    public async ValueTask<AccessTokenClaims?> ReadAccessTokenAsync(
        Guid organizationId, string token, string expectedIssuer, string expectedAudience, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var keys = await ring.GetAsync(organizationId, cancellationToken);
        var published = keys.Published(now).Where(k => k.Algorithm == SigningAlgorithms.Default).Select(k => (SecurityKey)k.Key).ToList();
        var jwt = await ValidateAsync(token, expectedIssuer, expectedAudience, AccessTokenTypes, published, AccessTokenAlgorithms, keys);

        // Lifetime is checked here, against the injected clock.
        if (jwt is null || jwt.ValidTo == DateTime.MinValue || jwt.ValidTo <= now.UtcDateTime)
        {
            return null;
        }

        return Guid.TryParse(jwt.Subject, out var userId)
            && jwt.TryGetPayloadValue<string>("client_id", out var clientId)
            && jwt.TryGetPayloadValue<string>("scope", out var scope)
            ? new AccessTokenClaims(userId, clientId, scope, jwt.Id, GrantId(jwt))
            : null;
    }

    public async ValueTask<IssuedAccessToken?> ReadIssuedAccessTokenAsync(
        Guid organizationId, string token, string expectedIssuer, CancellationToken cancellationToken)
    {
        var keys = await ring.GetAsync(organizationId, cancellationToken);
        var published = keys.Published(time.GetUtcNow()).Where(k => k.Algorithm == SigningAlgorithms.Default).Select(k => (SecurityKey)k.Key).ToList();
        var jwt = await ValidateAsync(token, expectedIssuer, expectedAudience: null, AccessTokenTypes, published, AccessTokenAlgorithms, keys);
        if (jwt is null || jwt.ValidTo == DateTime.MinValue || jwt.IssuedAt == DateTime.MinValue || string.IsNullOrEmpty(jwt.Id))
        {
            return null;
        }

        return Guid.TryParse(jwt.Subject, out var userId)
            && jwt.TryGetPayloadValue<string>("client_id", out var clientId)
            && jwt.TryGetPayloadValue<string>("scope", out var scope)
            ? new IssuedAccessToken(
                userId, clientId, scope, jwt.Id,
                new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), jwt.Audiences.ToList(), GrantId(jwt))
            : null;
    }

    /// <summary>The refresh-token family the access token was issued with (ADR 0025), when it has one.</summary>
    private static Guid? GrantId(JsonWebToken jwt) =>
        jwt.TryGetPayloadValue<string>(AccessTokenGrants.ClaimName, out var value) && Guid.TryParseExact(value, "N", out var grantId) ? grantId : null;

    public async ValueTask<IdTokenHint> ReadIdTokenHintAsync(
        Guid organizationId, string token, string expectedIssuer, string clientId, CancellationToken cancellationToken)
    {
        // CIBA Core §14: an ID token used as a hint may have expired; product.md §12: by at most 30 days.
        var keys = await ring.GetAsync(organizationId, cancellationToken);
        var jwt = await ValidateAsync(token, expectedIssuer, clientId, validTypes: null, keys.HintValidationKeys, IdTokenAlgorithms, keys);
        if (jwt is null || !Guid.TryParse(jwt.Subject, out var userId) || jwt.ValidTo == DateTime.MinValue)
        {
            return IdTokenHint.Invalid;
        }

        return new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + IdTokenHint.MaxAgePastExpiry < time.GetUtcNow()
            ? IdTokenHint.ExpiredTooLongAgo
            : IdTokenHint.Valid(userId);
    }

    /// <summary>
    /// Signature, algorithm (one of <paramref name="algorithms"/>, and the one the <c>kid</c>'s key was
    /// made for), issuer, audience and (optionally) <c>typ</c>; never the lifetime.
    /// </summary>
    private static async ValueTask<JsonWebToken?> ValidateAsync(
        string token,
        string expectedIssuer,
        string? expectedAudience,
        string[]? validTypes,
        IReadOnlyList<SecurityKey> keys,
        string[] algorithms,
        LoadedSigningKeys ring)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = expectedIssuer,
            ValidAudience = expectedAudience,
            ValidateAudience = expectedAudience is not null,
            IssuerSigningKeys = keys,
            ValidAlgorithms = algorithms,
            AlgorithmValidator = (algorithm, key, _, _) => algorithms.Contains(algorithm, StringComparer.Ordinal) && ring.IsKeyFor(key, algorithm),
            ValidTypes = validTypes,
            RequireSignedTokens = true,
            ValidateLifetime = false,
            TryAllIssuerSigningKeys = false,
        });
        return result.IsValid ? result.SecurityToken as JsonWebToken : null;
    }
}
