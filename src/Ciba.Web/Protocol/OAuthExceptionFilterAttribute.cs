using Ciba.Application.Common.Interfaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Ciba.Web.Protocol;

/// <summary>
/// An unexpected failure on a protocol endpoint is answered <c>server_error</c> (RFC 6749 §5.2), a
/// database outage <c>temporarily_unavailable</c> (503, <c>Retry-After</c>), never a stack trace or ProblemDetails.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OAuthExceptionFilterAttribute : ExceptionFilterAttribute
{
    public override void OnException(ExceptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Exception is OperationCanceledException && context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<OAuthExceptionFilterAttribute>>();
        ProtocolLog.EndpointFailed(logger, context.Exception);
        context.Result = OAuthErrorResults.ForException(context.Exception, context.HttpContext.RequestServices.GetRequiredService<IDatabaseFailures>());
        context.ExceptionHandled = true;
    }
}
