namespace Ciba.Web.Consent;

/// <summary>Scopes (OpenID Connect Core §5.4) in words a person can judge on a consent page.</summary>
public static class ScopeDescriptions
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["openid"] = "confirm who you are",
        ["profile"] = "see your name and username",
        ["email"] = "see your email address",
        ["phone"] = "see your phone number",
        ["address"] = "see your postal address",
        ["offline_access"] = "keep access while you are away",
    };

    public static string Describe(string scope) =>
        Known.TryGetValue(scope, out var words) ? words : $"use “{scope}”";
}
