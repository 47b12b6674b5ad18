using Ciba.Application.Common.Telemetry;
using Ciba.Web.OpenApi;
using Ciba.Web.Protocol;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Ciba.Web.Telemetry;

/// <summary>
/// Counts every answer of a protocol endpoint by endpoint and outcome (<c>ok</c> or the OAuth error
/// code), after the result ran. Other actions (console, consent) pass through untouched.
/// </summary>
internal sealed class ProtocolRequestMetricsFilter(CibaMetrics metrics) : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
        var template = context.ActionDescriptor.AttributeRouteInfo?.Template;
        if (template is null || ProtocolEndpointCatalog.Find(template) is not { } endpoint)
        {
            return;
        }

        var outcome = context switch
        {
            { Exception: not null, ExceptionHandled: false } => "server_error",
            { Result: OAuthErrorResults.OAuthErrorResult error } => error.Code,
            _ when context.HttpContext.Response.StatusCode < 300 => "ok",
            _ => "other",
        };
        metrics.ProtocolRequestAnswered(endpoint.Name, outcome);
    }
}
