using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// Identity's authenticator check (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits, ±2 steps, as
/// <see cref="AuthenticatorTokenProvider{TUser}"/>) that accepts a person's code only for a time
/// step later than the last one they used (RFC 6238 §5.2, ADR 0032), so a code seen or phished
/// cannot be given a second time. It stands in for Identity's provider under its name, so every
/// check of an authenticator code goes through it: the sign-in code step, the consent step-up and
/// the confirmation of an enrolment. Time comes from <see cref="TimeProvider"/>.
/// </summary>
public sealed class SingleUseAuthenticatorTokenProvider(CibaDbContext db, TimeProvider time) : AuthenticatorTokenProvider<CibaUser>
{
    public const int StepSeconds = 30;

    /// <summary>Steps either side of now whose codes are accepted (Identity's window).</summary>
    public const int Window = 2;

    private const int Digits = 6;
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<CibaUser> manager, CibaUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        if (token is null || token.Length != Digits || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var secret = FromBase32(await manager.GetAuthenticatorKeyAsync(user));
        if (secret is null)
        {
            return false;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        var presented = Encoding.ASCII.GetBytes(token);
        long? matched = null;
        for (var step = now - Window; step <= now + Window; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, step)), presented))
            {
                matched = step;
            }
        }

        return matched is { } accepted && await TryAcceptAsync(user.Id, accepted);
    }

    /// <summary>The RFC 6238 code of <paramref name="step"/> (RFC 4226 §5.3 dynamic truncation).</summary>
    public static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238 with SHA-1 is what authenticator apps compute and Identity's provider checks.
        var hash = HMACSHA1.HashData(secret, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7FFFFFFF) % 1_000_000;
        return binary.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Moves the person's last accepted step forward to <paramref name="step"/> in one statement,
    /// which PostgreSQL evaluates against the row as it is under its lock: of two checks of one code
    /// at the same moment, on one node or two, exactly one moves it and succeeds.
    /// </summary>
    private async Task<bool> TryAcceptAsync(Guid userId, long step) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "AuthenticatorSteps" ("UserId", "LastAcceptedStep") VALUES ({userId}, {step})
            ON CONFLICT ("UserId") DO UPDATE SET "LastAcceptedStep" = EXCLUDED."LastAcceptedStep"
            WHERE "AuthenticatorSteps"."LastAcceptedStep" < EXCLUDED."LastAcceptedStep"
            """) == 1;

    /// <summary>The key Identity generates (RFC 4648 Base32); null when there is none or it is not Base32.</summary>
    private static byte[]? FromBase32(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var bytes = new List<byte>(key.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in key.TrimEnd('='))
        {
            var value = Base32Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return bytes.Count == 0 ? null : [.. bytes];
    }
}
