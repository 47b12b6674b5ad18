namespace Ciba.Domain.Applications;

/// <summary>OAuth grant types an application may be allowed to use.</summary>
public static class GrantTypes
{
    public const string Ciba = "urn:openid:params:grant-type:ciba";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";
    public const string AuthorizationCode = "authorization_code";

    public static IReadOnlyList<string> All { get; } = [AuthorizationCode, ClientCredentials, RefreshToken, Ciba];

    public static bool IsKnown(string grantType) => All.Contains(grantType, StringComparer.Ordinal);
}
