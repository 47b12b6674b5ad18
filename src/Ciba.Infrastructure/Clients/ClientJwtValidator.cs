using System.Text.Json;
using Ciba.Application.Clients.Keys;
using Ciba.Domain.Applications;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Clients;

/// <summary>Verifies client-signed JWTs with Microsoft.IdentityModel against the client's registered keys.</summary>
internal sealed class ClientJwtValidator(ClientKeys keys) : IClientJwtValidator
{
    public const int MaxJwtLength = 16 * 1024;

    /// <summary>product.md §10: asymmetric algorithms only.</summary>
    public static readonly string[] Algorithms = [SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];

    private static readonly JsonWebTokenHandler Handler = new();

    public async ValueTask<ClientJwt?> ValidateAsync(ClientApplication application, string jwt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (string.IsNullOrEmpty(jwt) || jwt.Length > MaxJwtLength || jwt.Count(c => c == '.') != 2)
        {
            // Five parts is a JWE; CIBA has no encrypted requests.
            return null;
        }

        JsonWebToken token;
        try
        {
            token = new JsonWebToken(jwt);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (!Algorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            return null;
        }

        var candidates = await keys.CandidatesAsync(application, token.Kid, token.Alg, cancellationToken);
        if (candidates.Count == 0)
        {
            return null;
        }

        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = candidates,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = true,
            ValidateTokenReplay = false,
            ValidTypes = null,
        });
        if (!result.IsValid)
        {
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload));
            if (payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new ClientJwt(token.Typ is { Length: > 0 } typ ? typ : null, payload.RootElement.Clone());
        }
        catch (Exception exception) when (exception is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }
}
