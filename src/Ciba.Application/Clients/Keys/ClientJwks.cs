using System.Security.Cryptography;
using System.Text.Json;

namespace Ciba.Application.Clients.Keys;

/// <summary>
/// Checks a client's JWK Set (RFC 7517) as an administrator pastes it: valid JSON with a
/// <c>keys</c> array; public keys only; every key with a distinct <c>kid</c>; RSA keys of at least
/// 2048 bits or EC keys on P-256; an <c>alg</c>, when given, one Ciba accepts (PS256, ES256, RS256)
/// and fitting the key type. Returns the first problem in words, or null.
/// </summary>
public static class ClientJwks
{
    public const int MinRsaBits = 2048;

    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    public static string? Problem(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return "Paste the client's JWK Set (JSON with a \"keys\" array).";
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            return "The JWK Set is not valid JSON.";
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                return "The JWK Set must be a JSON object with a \"keys\" array.";
            }

            if (keys.GetArrayLength() == 0)
            {
                return "The JWK Set has no keys.";
            }

            var kids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var key in keys.EnumerateArray())
            {
                index++;
                var problem = KeyProblem(key, index, kids);
                if (problem is not null)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    private static string? KeyProblem(JsonElement key, int index, HashSet<string> kids)
    {
        if (key.ValueKind != JsonValueKind.Object)
        {
            return $"Key {index} is not a JSON object.";
        }

        if (PrivateMembers.Any(member => key.TryGetProperty(member, out _)))
        {
            return $"Key {index} is a private key (it has private members such as \"d\"). Paste only the public keys: never share a private key, and replace this one if it has left the client.";
        }

        var kid = String(key, "kid");
        if (string.IsNullOrEmpty(kid))
        {
            return $"Key {index} has no \"kid\"; every key needs one.";
        }

        if (!kids.Add(kid))
        {
            return $"The kid \"{kid}\" is used by two keys.";
        }

        var use = String(key, "use");
        if (use is not null && use != "sig")
        {
            return $"Key \"{kid}\" is not a signing key (use must be \"sig\").";
        }

        var alg = String(key, "alg");
        return String(key, "kty") switch
        {
            "RSA" => RsaProblem(key, kid, alg),
            "EC" => EcProblem(key, kid, alg),
            _ => $"Key \"{kid}\" must be an RSA or EC key (kty RSA or EC).",
        };
    }

    private static string? RsaProblem(JsonElement key, string kid, string? alg)
    {
        if (alg is not null and not ("PS256" or "RS256"))
        {
            return $"Key \"{kid}\" is an RSA key: its alg must be PS256 or RS256.";
        }

        var n = Bytes(key, "n");
        var e = Bytes(key, "e");
        if (n is null || e is null)
        {
            return $"Key \"{kid}\" is not a valid RSA public key (n and e).";
        }

        var bits = (n.Length - n.TakeWhile(b => b == 0).Count()) * 8;
        if (bits < MinRsaBits)
        {
            return $"Key \"{kid}\" is an RSA key shorter than {MinRsaBits} bits.";
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
        }
        catch (CryptographicException)
        {
            return $"Key \"{kid}\" is not a valid RSA public key (n and e).";
        }

        return null;
    }

    private static string? EcProblem(JsonElement key, string kid, string? alg)
    {
        if (alg is not null and not "ES256")
        {
            return $"Key \"{kid}\" is an EC key: its alg must be ES256.";
        }

        if (String(key, "crv") != "P-256")
        {
            return $"Key \"{kid}\" must be on the P-256 curve (crv P-256).";
        }

        var x = Bytes(key, "x");
        var y = Bytes(key, "y");
        if (x is not { Length: 32 } || y is not { Length: 32 })
        {
            return $"Key \"{kid}\" is not a valid P-256 public key (x and y).";
        }

        try
        {
            using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        }
        catch (CryptographicException)
        {
            return $"Key \"{kid}\" is not a valid P-256 public key (the point is not on the curve).";
        }

        return null;
    }

    private static string? String(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Bytes(JsonElement key, string name)
    {
        var text = String(key, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
