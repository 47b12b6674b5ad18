using Ciba.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Hosting;

/// <summary>
/// When the public origin is https, a request that arrived over plain http (after the trusted
/// proxies' <c>X-Forwarded-Proto</c>, if any) is redirected, permanently and with its method kept
/// (308), to the same path on the public origin: never to the request's own Host header. The
/// health probes stay reachable over http, since load balancers call the nodes directly.
/// </summary>
public sealed class PublicOriginHttpsRedirection(RequestDelegate next, IOptions<CibaOptions> options)
{
    private readonly string _origin = options.Value.PublicOrigin.TrimEnd('/');

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.IsHttps || HostingPipeline.IsHealthProbe(request.Path))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = _origin + request.PathBase + request.Path + request.QueryString;
        return Task.CompletedTask;
    }
}
