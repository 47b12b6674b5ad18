using Microsoft.AspNetCore.Diagnostics;

namespace Ciba.Web.Errors;

/// <summary>
/// Every HTML error ends on a page a person can read (issue 9 items 13 and 14): unhandled
/// exceptions re-execute <c>/error</c>, empty 4xx and 5xx answers re-execute <c>/error/{status}</c>.
/// Protocol endpoints keep their own OAuth JSON errors and never get an HTML or ProblemDetails body.
/// </summary>
public static class ErrorPages
{
    public static IApplicationBuilder UseErrorPages(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            StatusCodeSelector = StatusFor,
        });
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use((context, next) =>
        {
            if (IsProtocolEndpoint(context.Request.Path) && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            return next(context);
        });
        return app;
    }

    /// <summary>The OAuth endpoints under <c>/t/{org}/oauth2/</c>, except the pages a person opens on the phone.</summary>
    public static bool IsProtocolEndpoint(PathString path)
    {
        var value = path.Value ?? string.Empty;
        return value.Contains("/oauth2/", StringComparison.OrdinalIgnoreCase)
            && !value.Contains("/oauth2/ciba_authorize", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Bad requests the server reads (a body too large, a broken form) are the client's 4xx, not a 500.</summary>
    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException badRequest => badRequest.StatusCode,
        InvalidDataException => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };
}
