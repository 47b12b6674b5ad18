using Ciba.Application.Common.Options;

namespace Ciba.Application.Common.Protocol;

/// <summary>The URLs of an organization's endpoints (product.md §2), built from the configured public origin.</summary>
public static class ProtocolUrls
{
    public static string Issuer(this CibaOptions options, string organizationHandle) => Endpoint(options, organizationHandle, "token");

    public static string TokenEndpoint(this CibaOptions options, string organizationHandle) => Endpoint(options, organizationHandle, "token");

    public static string BackchannelAuthenticationEndpoint(this CibaOptions options, string organizationHandle) => Endpoint(options, organizationHandle, "ciba");

    public static string JwksUri(this CibaOptions options, string organizationHandle) => Endpoint(options, organizationHandle, "jwks");

    public static string UserInfoEndpoint(this CibaOptions options, string organizationHandle) => Endpoint(options, organizationHandle, "userinfo");

    public static string AuthorizeLink(this CibaOptions options, string organizationHandle, string linkKey) =>
        Endpoint(options, organizationHandle, "ciba_authorize") + "?authCodeKey=" + Uri.EscapeDataString(linkKey);

    private static string Endpoint(CibaOptions options, string organizationHandle, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{options.OrganizationBaseUrl(organizationHandle)}/oauth2/{name}";
    }
}
