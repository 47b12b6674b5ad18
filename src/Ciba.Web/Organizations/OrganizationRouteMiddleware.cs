using Ciba.Application.Common.Interfaces;

namespace Ciba.Web.Organizations;

/// <summary>
/// For every <c>/t/{org}/…</c> path: resolves the organization, enters it for the request's scope
/// and stores it in <see cref="HttpContext.Items"/>; an unknown organization is a 404.
/// </summary>
public sealed class OrganizationRouteMiddleware(RequestDelegate next)
{
    private const string ItemKey = "Ciba.Organization";

    public async Task InvokeAsync(HttpContext context, IOrganizationLookup lookup, IOrganizationContext organizationContext)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!TryGetHandle(context.Request.Path, out var handle))
        {
            await next(context);
            return;
        }

        var organization = await lookup.FindByHandleAsync(handle, context.RequestAborted);
        if (organization is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        organizationContext.Enter(organization.Id, organization.Handle);
        context.Items[ItemKey] = organization;
        await next(context);
    }

    public static OrganizationSummary? Current(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var value) ? value as OrganizationSummary : null;
    }

    private static bool TryGetHandle(PathString path, out string handle)
    {
        handle = string.Empty;
        var value = path.Value;
        if (value is null || !value.StartsWith("/t/", StringComparison.Ordinal))
        {
            return false;
        }

        var end = value.IndexOf('/', 3);
        handle = end < 0 ? value[3..] : value[3..end];
        return handle.Length > 0;
    }
}
