using Ciba.Web.Organizations;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Ciba.Web.Accounts;

/// <summary>
/// Keeps each organization's sign-in cookie apart: named after the organization and scoped to its
/// <c>/t/{org}</c> path, so signing in to one organization never signs you in to another.
/// Outside an organization's paths there is no sign-in cookie at all.
/// </summary>
public sealed class OrganizationCookieManager : ICookieManager
{
    private readonly ChunkingCookieManager _inner = new();

    public string? GetRequestCookie(HttpContext context, string key) =>
        OrganizationRouteMiddleware.Current(context) is { } organization ? _inner.GetRequestCookie(context, CookieName(key, organization.Handle)) : null;

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (OrganizationRouteMiddleware.Current(context) is { } organization)
        {
            options.Path = "/t/" + organization.Handle;
            _inner.AppendResponseCookie(context, CookieName(key, organization.Handle), value, options);
        }
    }

    public void DeleteCookie(HttpContext context, string key, CookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (OrganizationRouteMiddleware.Current(context) is { } organization)
        {
            options.Path = "/t/" + organization.Handle;
            _inner.DeleteCookie(context, CookieName(key, organization.Handle), options);
        }
    }

    private static string CookieName(string key, string organizationHandle) => $"{key}.{organizationHandle}";
}
