using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Ciba.Application.Tokens;

/// <summary>Hashes of tokens carried in an ID token (OpenID Connect Core §3.1.3.6, CIBA Core §10.3.1).</summary>
public static class TokenHashes
{
    /// <summary>
    /// <c>at_hash</c> and <c>urn:openid:params:jwt:claim:rt_hash</c>: the base64url of the left half of
    /// the SHA-256 of the token's ASCII octets (RS256, PS256 and ES256 all hash with SHA-256).
    /// </summary>
    public static string LeftHalfSha256(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(token));
        return Base64Url.EncodeToString(hash.AsSpan(0, hash.Length / 2));
    }
}
