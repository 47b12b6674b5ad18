namespace Ciba.Domain.Applications;

/// <summary>OAuth grant types an application may be allowed to use.</summary>
public static class GrantTypes
{
    public const string Ciba = "urn:openid:params:grant-type:ciba";
    public const string RefreshToken = "refresh_token";

    /// <summary>
    /// The grants the token endpoint serves, and so the only ones an application can be allowed,
    /// the console offers and discovery lists (product.md §13: only grants that work are offered).
    /// A grant joins this list when the token endpoint serves it.
    /// </summary>
    public static IReadOnlyList<string> Served { get; } = [Ciba, RefreshToken];

    public static bool IsServed(string grantType) => Served.Contains(grantType, StringComparer.Ordinal);
}
