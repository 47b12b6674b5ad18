using System.Text.Json;
using Ciba.Application.Backchannel.Initiate;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Clients;

/// <summary>
/// Verifies a <c>login_hint_token</c> with Microsoft.IdentityModel against the keys of the trusted
/// issuer its <c>iss</c> names (product.md §12): RS256, PS256 or ES256 only; <c>exp</c> required and
/// checked with <see cref="Skew"/> against <see cref="TimeProvider"/>, only once the signature holds.
/// </summary>
internal sealed class LoginHintTokenReader(CibaDbContext db, TimeProvider time) : ILoginHintTokenReader
{
    public const int MaxTokenLength = 16 * 1024;
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly LoginHintTokenReading Invalid = new(LoginHintTokenStatus.Invalid);

    public async Task<LoginHintTokenReading> ReadAsync(Guid organizationId, string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || token.Count(c => c == '.') != 2)
        {
            return Invalid;
        }

        JsonWebToken jwt;
        string issuer;
        string? kid;
        try
        {
            jwt = new JsonWebToken(token);
            issuer = jwt.Issuer;
            kid = jwt.Kid;
            if (!Algorithms.Contains(jwt.Alg, StringComparer.Ordinal) || string.IsNullOrEmpty(issuer) || issuer.Length > TrustedHintIssuer.MaxIssuerLength)
            {
                return Invalid;
            }
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or FormatException)
        {
            return Invalid;
        }

        var jwks = await db.Set<TrustedHintIssuer>().AsNoTracking()
            .Where(i => i.OrganizationId == organizationId && i.Issuer == issuer)
            .Select(i => i.Jwks)
            .SingleOrDefaultAsync(cancellationToken);
        var keys = Keys(jwks, kid, jwt.Alg);
        if (keys.Count == 0)
        {
            return Invalid;
        }

        var result = await Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            ValidIssuer = issuer,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = true,
        });
        if (!result.IsValid)
        {
            return Invalid;
        }

        return Payload(jwt, time.GetUtcNow());
    }

    private static List<SecurityKey> Keys(string? jwks, string? kid, string alg)
    {
        if (jwks is null)
        {
            return [];
        }

        try
        {
            return [.. new JsonWebKeySet(jwks).Keys.Where(k => ClientKeys.Fits(k, alg) && (string.IsNullOrEmpty(kid) || k.Kid == kid))];
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or FormatException)
        {
            return [];
        }
    }

    private static LoginHintTokenReading Payload(JsonWebToken jwt, DateTimeOffset now)
    {
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
            var root = payload.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds))
            {
                return Invalid;
            }

            if (root.TryGetProperty("nbf", out var nbf) && (!nbf.TryGetInt64(out var nbfSeconds) || DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(nbfSeconds, 0, 253402300799)) > now + Skew))
            {
                return Invalid;
            }

            if (DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(expSeconds, 0, 253402300799)) <= now - Skew)
            {
                return new LoginHintTokenReading(LoginHintTokenStatus.Expired);
            }

            return root.TryGetProperty("sub_id", out var subId) && SubjectId(subId) is { } subject
                ? new LoginHintTokenReading(LoginHintTokenStatus.Valid, subject)
                : Invalid;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or ArgumentException)
        {
            return Invalid;
        }
    }

    /// <summary>RFC 9493 §3: the members each format requires, as non-empty strings.</summary>
    private static SubjectIdentifier? SubjectId(JsonElement subId)
    {
        if (subId.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? Text(string name) =>
            subId.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 320 } text
                && !text.Any(char.IsControl)
                ? text
                : null;

        return Text("format") switch
        {
            SubjectIdentifier.EmailFormat when Text("email") is { } email => new SubjectIdentifier(SubjectIdentifier.EmailFormat, Email: email),
            SubjectIdentifier.PhoneNumberFormat when Text("phone_number") is { } phone => new SubjectIdentifier(SubjectIdentifier.PhoneNumberFormat, PhoneNumber: phone),
            SubjectIdentifier.IssuerSubjectFormat when Text("iss") is { } iss && Text("sub") is { } sub => new SubjectIdentifier(SubjectIdentifier.IssuerSubjectFormat, Issuer: iss, Subject: sub),
            SubjectIdentifier.OpaqueFormat when Text("id") is { } id => new SubjectIdentifier(SubjectIdentifier.OpaqueFormat, Id: id),
            _ => null,
        };
    }
}
