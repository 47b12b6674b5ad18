using Ciba.Application.Audit;

namespace Ciba.Web.Audit;

/// <summary>Every audit event of a request carries its source address (after the trusted proxies).</summary>
public sealed class AuditSourceMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        AuditAmbient.SourceAddress = context.Connection.RemoteIpAddress?.ToString();
        return next(context);
    }
}
