using Ciba.Web.Protocol;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Errors;

/// <summary>
/// Where unhandled exceptions end up (in every environment): protocol endpoints answer
/// <c>server_error</c> as JSON, pages a short apology. Never a stack trace.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorController : Controller
{
    [Route("/error")]
    public IActionResult Error()
    {
        var path = HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? string.Empty;
        Response.Headers.CacheControl = "no-store";
        if (IsProtocolEndpoint(path))
        {
            return OAuthErrorResults.ServerError();
        }

        Response.StatusCode = StatusCodes.Status500InternalServerError;
        return View("~/Views/Errors/ServerError.cshtml");
    }

    private static bool IsProtocolEndpoint(string path) =>
        path.Contains("/oauth2/", StringComparison.Ordinal) && !path.Contains("/oauth2/ciba_authorize", StringComparison.Ordinal);
}
