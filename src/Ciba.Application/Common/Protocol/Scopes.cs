namespace Ciba.Application.Common.Protocol;

/// <summary>The scopes Ciba grants and the user claims each one releases (OpenID Connect Core §5.4).</summary>
public static class Scopes
{
    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string Email = "email";
    public const string Phone = "phone";

    /// <summary>OpenID Connect Core §11: asks for a refresh token (product.md §13).</summary>
    public const string OfflineAccess = "offline_access";

    public static IReadOnlyList<string> Supported { get; } = [OpenId, Profile, Email, Phone, OfflineAccess];

    public static IReadOnlyList<string> Claims { get; } =
        ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "amr", "name", "preferred_username", "email", "email_verified", "phone_number"];

    public static bool IsSupported(string scope) => Supported.Contains(scope, StringComparer.Ordinal);

    /// <summary>Splits a scope parameter (RFC 6749 §3.3) into distinct values, <c>openid</c> first, otherwise in the given order.</summary>
    public static IReadOnlyList<string> Parse(string? scope)
    {
        if (string.IsNullOrEmpty(scope))
        {
            return [];
        }

        var values = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (values.Remove(OpenId))
        {
            values.Insert(0, OpenId);
        }

        return values;
    }

    public static bool Contains(string grantedScope, string scope) =>
        grantedScope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);
}
