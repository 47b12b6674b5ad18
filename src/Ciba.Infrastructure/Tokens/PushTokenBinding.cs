using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Tokens;

/// <summary>
/// CIBA Core §10.3.1: a pushed ID token names its <c>auth_req_id</c> and carries <c>at_hash</c>
/// (and <c>urn:openid:params:jwt:claim:rt_hash</c> when a refresh token is pushed with them).
/// </summary>
public static class PushTokenBinding
{
    public const string AuthReqIdClaim = "urn:openid:params:jwt:claim:auth_req_id";
    public const string RefreshTokenHashClaim = "urn:openid:params:jwt:claim:rt_hash";
    public const string AccessTokenHashClaim = "at_hash";

    public static void AddClaims(IDictionary<string, object> idTokenClaims, string? authReqId, string accessToken, string? refreshToken, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(idTokenClaims);
        if (authReqId is null)
        {
            return;
        }

        idTokenClaims[AuthReqIdClaim] = authReqId;
        idTokenClaims[AccessTokenHashClaim] = TokenHash(accessToken, algorithm);
        if (refreshToken is not null)
        {
            idTokenClaims[RefreshTokenHashClaim] = TokenHash(refreshToken, algorithm);
        }
    }

    /// <summary>OpenID Connect Core §3.1.3.6: the left half of the hash of the ASCII octets, with the hash of the ID token's <c>alg</c>, base64url.</summary>
    public static string TokenHash(string token, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(algorithm);
        var octets = Encoding.ASCII.GetBytes(token);
        byte[] hash = algorithm[^3..] switch
        {
            "384" => SHA384.HashData(octets),
            "512" => SHA512.HashData(octets),
            _ => SHA256.HashData(octets),
        };
        return Base64UrlEncoder.Encode(hash, 0, hash.Length / 2);
    }
}
