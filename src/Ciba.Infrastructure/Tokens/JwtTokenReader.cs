using Ciba.Application.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Tokens;

/// <summary>Validates tokens signed by the ring's keys.</summary>
public sealed class JwtTokenReader(SigningKeyRing ring, TimeProvider time) : ITokenReader
{
    private const int MaxTokenLength = 8192;
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly string[] Algorithms = [SigningKeyRing.Algorithm];
    private static readonly string[] AccessTokenTypes = [JwtTokenIssuer.AccessTokenType];

    public async ValueTask<AccessTokenClaims?> ReadAccessTokenAsync(string token, string expectedIssuer, string expectedAudience, CancellationToken cancellationToken)
    {
        var jwt = await ValidateAsync(token, expectedIssuer, expectedAudience, AccessTokenTypes, cancellationToken);

        // Lifetime is checked here, against the injected clock.
        if (jwt is null || jwt.ValidTo == DateTime.MinValue || jwt.ValidTo <= time.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        return Guid.TryParse(jwt.Subject, out var userId)
            && jwt.TryGetPayloadValue<string>("client_id", out var clientId)
            && jwt.TryGetPayloadValue<string>("scope", out var scope)
            ? new AccessTokenClaims(userId, clientId, scope)
            : null;
    }

    public async ValueTask<Guid?> ReadIdTokenHintAsync(string token, string expectedIssuer, string clientId, CancellationToken cancellationToken)
    {
        // CIBA Core §14: an ID token used as a hint may have expired, so its lifetime is not checked.
        var jwt = await ValidateAsync(token, expectedIssuer, clientId, validTypes: null, cancellationToken);
        return jwt is not null && Guid.TryParse(jwt.Subject, out var userId) ? userId : null;
    }

    /// <summary>Signature, algorithm, issuer, audience and (optionally) <c>typ</c>; never the lifetime.</summary>
    private async ValueTask<JsonWebToken?> ValidateAsync(
        string token, string expectedIssuer, string expectedAudience, string[]? validTypes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var keys = await ring.GetAsync(cancellationToken);
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = expectedIssuer,
            ValidAudience = expectedAudience,
            IssuerSigningKeys = keys.ValidationKeys,
            ValidAlgorithms = Algorithms,
            ValidTypes = validTypes,
            RequireSignedTokens = true,
            ValidateLifetime = false,
        });
        return result.IsValid ? result.SecurityToken as JsonWebToken : null;
    }
}
