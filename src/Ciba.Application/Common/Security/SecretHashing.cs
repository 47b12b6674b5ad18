using System.Security.Cryptography;
using System.Text;

namespace Ciba.Application.Common.Security;

/// <summary>
/// One-way hashes of high-entropy secrets Ciba generates itself (client secrets, <c>auth_req_id</c>,
/// link keys). They are 32 random bytes, so a single SHA-256 is enough and keeps the hot paths
/// cheap (docs/decisions/0005-hashing-generated-secrets.md).
/// </summary>
public static class SecretHashing
{
    private const string ClientSecretPrefix = "sha256:";

    public static byte[] HashToken(string rawValue) => SHA256.HashData(Encoding.UTF8.GetBytes(rawValue));

    public static string HashClientSecret(string secret) =>
        ClientSecretPrefix + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool VerifyClientSecret(string presentedSecret, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(presentedSecret);
        ArgumentNullException.ThrowIfNull(storedHash);
        var expected = Encoding.ASCII.GetBytes(storedHash);
        var actual = Encoding.ASCII.GetBytes(HashClientSecret(presentedSecret));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
