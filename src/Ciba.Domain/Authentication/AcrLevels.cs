namespace Ciba.Domain.Authentication;

/// <summary>
/// The authentication context classes of product.md §16, weakest first: a password; a password
/// and an authenticator app, or a passkey; a passkey. A level is met by itself and every stronger one.
/// </summary>
public static class AcrLevels
{
    public const string Password = "urn:ciba:acr:pwd";

    public const string MultiFactor = "urn:ciba:acr:mfa";

    public const string PhishingResistant = "urn:ciba:acr:phr";

    /// <summary>The longest <c>acr_values</c> list kept, space-separated (all three levels fit).</summary>
    public const int MaxStoredLength = 64;

    /// <summary>Every supported level, weakest first (discovery's <c>acr_values_supported</c>).</summary>
    public static IReadOnlyList<string> Supported { get; } = [Password, MultiFactor, PhishingResistant];

    public static bool IsSupported(string? level) => level is not null && Rank(level) > 0;

    /// <summary>
    /// The level a set of <c>amr</c> values achieves, or null for none: a passkey is phishing
    /// resistant; a password with a one-time code is multi-factor; a password alone is a password.
    /// </summary>
    public static string? Achieved(IEnumerable<string> amr)
    {
        ArgumentNullException.ThrowIfNull(amr);
        var methods = amr.ToHashSet(StringComparer.Ordinal);
        if (methods.Contains(AuthenticationMethods.HardwareKey) || methods.Contains(AuthenticationMethods.SoftwareKey))
        {
            return PhishingResistant;
        }

        if (methods.Contains(AuthenticationMethods.Password))
        {
            return methods.Contains(AuthenticationMethods.OneTimePassword) ? MultiFactor : Password;
        }

        return null;
    }

    /// <summary>Whether <paramref name="achieved"/> is at least <paramref name="required"/> (no requirement is always met).</summary>
    public static bool Meets(string? achieved, string? required) =>
        required is null || !IsSupported(required) || Rank(achieved) >= Rank(required);

    /// <summary>The stronger of two levels (null and unknown values count as no requirement).</summary>
    public static string? Stronger(string? first, string? second) =>
        Rank(first) >= Rank(second) ? (IsSupported(first) ? first : null) : second;

    /// <summary>
    /// OpenID Connect Core §3.1.2.1 <c>acr_values</c>: space-separated, in order of preference. The
    /// supported values, once each, in the order given; unknown values are ignored.
    /// </summary>
    public static IReadOnlyList<string> ParseRequested(string? acrValues)
    {
        if (string.IsNullOrWhiteSpace(acrValues))
        {
            return [];
        }

        return acrValues.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(IsSupported)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// The level a person can reach with the factors they have: a passkey reaches every level; a
    /// password with an authenticator app reaches multi-factor; a password alone, a password.
    /// </summary>
    public static bool CanReach(string level, AvailableFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return level switch
        {
            Password => factors.Password || factors.Passkey,
            MultiFactor => factors.Passkey || (factors.Password && factors.AuthenticatorApp),
            PhishingResistant => factors.Passkey,
            _ => true,
        };
    }

    internal static int Rank(string? level) => level switch
    {
        Password => 1,
        MultiFactor => 2,
        PhishingResistant => 3,
        _ => 0,
    };
}

/// <summary>The sign-in factors a person has set up.</summary>
public sealed record AvailableFactors(bool Password, bool AuthenticatorApp, bool Passkey);
