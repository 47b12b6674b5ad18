using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Ciba.Testing;

/// <summary>RFC 6238 codes (HMAC-SHA1, 30 s, 6 digits) from an RFC 4648 Base32 secret, as an authenticator app computes them.</summary>
public static class Totp
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>
    /// The code for <paramref name="at"/>: the server's clock (its <see cref="TimeProvider"/>, a
    /// FakeTimeProvider in tests), which the authenticator check reads (ADR 0032).
    /// </summary>
    public static string Code(string base32Secret, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(base32Secret);
        var step = at.ToUnixTimeSeconds() / 30;
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238 with SHA-1 is what authenticator apps and Identity's provider compute.
        var hash = HMACSHA1.HashData(FromBase32(base32Secret), counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7FFFFFFF) % 1_000_000;
        return binary.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>A code that is not valid within the window of ±2 steps around <paramref name="at"/>.</summary>
    public static string WrongCode(string base32Secret, DateTimeOffset at)
    {
        var valid = Enumerable.Range(-3, 7).Select(i => Code(base32Secret, at.AddSeconds(30 * i))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("D6", CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
    }

    private static byte[] FromBase32(string secret)
    {
        var clean = secret.Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            buffer = (buffer << 5) | Base32Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}
