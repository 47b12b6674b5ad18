using Ciba.Application.Common.Options;

namespace Ciba.Application.Common.Protocol;

/// <summary>The revocation and introspection endpoints of an organization (product.md §13).</summary>
public static class TokenLifecycleUrls
{
    public static string RevocationEndpoint(this CibaOptions options, string organizationHandle) =>
        options.UserInfoEndpoint(organizationHandle)[..^"userinfo".Length] + "revoke";

    public static string IntrospectionEndpoint(this CibaOptions options, string organizationHandle) =>
        options.UserInfoEndpoint(organizationHandle)[..^"userinfo".Length] + "introspect";
}
