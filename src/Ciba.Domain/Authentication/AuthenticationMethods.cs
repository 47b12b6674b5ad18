namespace Ciba.Domain.Authentication;

/// <summary>The <c>amr</c> values (RFC 8176) a sign-in records, one per method used.</summary>
public static class AuthenticationMethods
{
    /// <summary>A password.</summary>
    public const string Password = "pwd";

    /// <summary>A one-time code: an authenticator app's TOTP code, or a recovery code.</summary>
    public const string OneTimePassword = "otp";

    /// <summary>A passkey bound to hardware.</summary>
    public const string HardwareKey = "hwk";

    /// <summary>A passkey held in software (a synced passkey).</summary>
    public const string SoftwareKey = "swk";

    /// <summary>The longest <c>amr</c> list kept, space-separated.</summary>
    public const int MaxStoredLength = 64;

    private static readonly string[] Known = [Password, OneTimePassword, HardwareKey, SoftwareKey];

    /// <summary>The known methods of <paramref name="methods"/>, once each, in a fixed order.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        var set = methods.ToHashSet(StringComparer.Ordinal);
        return Known.Where(set.Contains).ToArray();
    }
}
