using System.Text.Json;
using Ciba.Domain.Applications;

namespace Ciba.Application.Clients.Keys;

/// <summary>
/// The JOSE mechanics of a JWT a client signed (a client assertion, a signed request): compact JWS
/// only (no JWE), <c>alg</c> PS256, ES256 or RS256 (never <c>none</c> or HMAC), the key chosen by
/// <c>kid</c> from the application's registered keys (its JWK Set, or its <c>jwks_uri</c>), or else
/// every key whose <c>alg</c>/<c>kty</c> fit, and the signature. The claims' rules are the caller's.
/// </summary>
public interface IClientJwtValidator
{
    /// <summary>The verified JWT, or null when it is malformed, encrypted, of another algorithm, or no registered key verifies it.</summary>
    ValueTask<ClientJwt?> ValidateAsync(ClientApplication application, string jwt, CancellationToken cancellationToken);
}

/// <summary>A JWT whose signature a key of the client verified.</summary>
/// <param name="Type">The header's <c>typ</c>, if any.</param>
/// <param name="Payload">The claims (a JSON object).</param>
public sealed record ClientJwt(string? Type, JsonElement Payload)
{
    public string? Text(string name) =>
        Payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A NumericDate claim (RFC 7519 §2), or null when absent or not a number.</summary>
    public DateTimeOffset? Time(string name) =>
        Payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
            && seconds is > 0 and < 253_402_300_800
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    public bool Has(string name) => Payload.TryGetProperty(name, out _);

    /// <summary>The <c>aud</c> claim's values (a string or an array of strings).</summary>
    public IReadOnlyList<string> Audiences()
    {
        if (!Payload.TryGetProperty("aud", out var aud))
        {
            return [];
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => [.. aud.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)],
            _ => [],
        };
    }
}

/// <summary>Remembers the <c>jti</c> of client JWTs until they expire, across nodes (PostgreSQL).</summary>
public interface IUsedJwtIds
{
    /// <summary>Records <paramref name="jti"/> for the client; false when it was already recorded (a replay).</summary>
    Task<bool> TryUseAsync(Guid applicationId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
