using Ciba.Application.Common.Interfaces;
using Ciba.Web.Accounts;
using Ciba.Web.Organizations;
using Ciba.Web.Protocol;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Errors;

/// <summary>
/// The error pages (<see cref="ErrorPages"/>): an unhandled exception or an empty error answer,
/// in words, with who is signed in and a way to sign out and use another account; a database
/// outage is the 503 "Ciba is busy right now" page with <c>Retry-After</c>. Protocol endpoints
/// answer OAuth JSON (<c>server_error</c>, or <c>temporarily_unavailable</c> in an outage). Opened directly, these addresses are a 404 page.
/// Never a stack trace.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorController : Controller
{
    [Route("/error")]
    public IActionResult Failure()
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        if (failure is null)
        {
            return Page(StatusCodes.Status404NotFound, returnUrl: null);
        }

        var failures = HttpContext.RequestServices.GetRequiredService<IDatabaseFailures>();
        if (ErrorPages.IsProtocolEndpoint(failure.Path))
        {
            Response.Headers.CacheControl = "no-store";
            return OAuthErrorResults.ForException(failure.Error, failures);
        }

        if (failures.IsTransient(failure.Error))
        {
            Response.Headers.RetryAfter = OAuthErrorResults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page(StatusCodes.Status503ServiceUnavailable, failure.Path);
        }

        var status = Response.StatusCode is >= 400 and <= 599 ? Response.StatusCode : StatusCodes.Status500InternalServerError;
        return Page(status, failure.Path);
    }

    [Route("/error/{statusCode:int}")]
    public IActionResult Status(int statusCode)
    {
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        return original is null
            ? Page(StatusCodes.Status404NotFound, returnUrl: null)
            : Page(Response.StatusCode, original.OriginalPathBase + original.OriginalPath + original.OriginalQueryString);
    }

    private ViewResult Page(int statusCode, string? returnUrl)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext);
        var signedIn = organization is null ? null : SignedInUser.From(User, organization.Id);
        var (title, message) = ErrorPageViewModel.WordsFor(statusCode);
        Response.StatusCode = statusCode;
        Response.Headers.CacheControl = "no-store";
        return View("~/Views/Errors/Error.cshtml", new ErrorPageViewModel
        {
            StatusCode = statusCode,
            Title = title,
            Message = message,
            OrganizationHandle = organization?.Handle,
            SignedInAs = signedIn?.UserName,
            ReturnUrl = organization is null ? null : AccountController.SafeReturnUrl(organization.Handle, returnUrl),
        });
    }
}
