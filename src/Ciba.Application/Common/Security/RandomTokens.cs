using System.Buffers.Text;
using System.Security.Cryptography;

namespace Ciba.Application.Common.Security;

/// <summary>Unguessable values: 32 random bytes, base64url without padding (43 characters).</summary>
public static class RandomTokens
{
    public const int ByteLength = 32;

    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
