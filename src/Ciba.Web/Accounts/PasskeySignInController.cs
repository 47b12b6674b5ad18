using Ciba.Application.Accounts.Passkeys;
using Ciba.Application.Accounts.SignIn;
using Ciba.Application.Common.Results;
using Ciba.Web.Organizations;
using Ciba.Web.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Accounts;

/// <summary>
/// Signing in with a passkey and no password (product.md §16), and the step-up any page can send a
/// signed-in person to: prove a passkey, get its <c>amr</c> added to the session, go back to a
/// local <c>returnUrl</c>. The browser fetches the options (JSON), runs WebAuthn, and posts the
/// answer in an ordinary form.
/// </summary>
[Route("t/{org}/passkeys")]
[FormBodyLimit]
public sealed class PasskeySignInController(IMediator mediator) : Controller
{
    /// <summary>The options for <c>navigator.credentials.get()</c> (JSON): any passkey of this organization.</summary>
    [HttpPost("request-options")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> RequestOptions(CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var options = await mediator.Send(new StartPasskeyAssertionCommand(organization.Id, null), cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return Content(options.Value, "application/json");
    }

    [HttpPost("sign-in")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Protection.RateLimits.PerAddress)]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> SignIn([FromForm] PasskeyAnswerForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var returnUrl = AccountController.SafeReturnUrl(organization.Handle, form.ReturnUrl);
        var result = await mediator.Send(new PasskeySignInCommand(organization.Id, form.Credential, HttpContext.Connection.RemoteIpAddress), cancellationToken);
        if (result.IsSuccess)
        {
            return LocalRedirect(returnUrl);
        }

        ShowError(result.Error);
        return View("~/Views/Account/SignIn.cshtml", new SignInViewModel { OrganizationName = organization.Name, ReturnUrl = returnUrl });
    }

    /// <summary>The step-up page for a local <paramref name="returnUrl"/> of the organization.</summary>
    public static string StepUpPage(string organizationHandle, string returnUrl) =>
        $"/t/{organizationHandle}/passkeys/step-up?returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>The step-up page: the signed-in person confirms it is them with one of their passkeys.</summary>
    [HttpGet("step-up")]
    public IActionResult StepUp(string? returnUrl)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var next = AccountController.SafeReturnUrl(organization.Handle, returnUrl);
        if (SignedInUser.From(User, organization.Id) is null)
        {
            return Redirect($"/t/{organization.Handle}/login?returnUrl={Uri.EscapeDataString($"/t/{organization.Handle}/passkeys/step-up?returnUrl={Uri.EscapeDataString(next)}")}");
        }

        Response.Headers.CacheControl = "no-store";
        return View(new PasskeyStepUpViewModel(organization.Name, next));
    }

    /// <summary>The options for <c>navigator.credentials.get()</c> (JSON): the signed-in person's passkeys only.</summary>
    [HttpPost("step-up/request-options")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> StepUpOptions(CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        Response.Headers.CacheControl = "no-store";
        if (SignedInUser.From(User, organization.Id) is not { } user)
        {
            return Unauthorized();
        }

        var options = await mediator.Send(new StartPasskeyAssertionCommand(organization.Id, user.UserId), cancellationToken);
        return Content(options.Value, "application/json");
    }

    [HttpPost("step-up")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Protection.RateLimits.PerAddress)]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> StepUp([FromForm] PasskeyAnswerForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var returnUrl = AccountController.SafeReturnUrl(organization.Handle, form.ReturnUrl);
        if (SignedInUser.From(User, organization.Id) is not { } user)
        {
            return Redirect($"/t/{organization.Handle}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        var result = await mediator.Send(new PasskeyStepUpCommand(organization.Id, user.UserId, form.Credential, HttpContext.Connection.RemoteIpAddress), cancellationToken);
        if (result.IsSuccess)
        {
            return LocalRedirect(returnUrl);
        }

        ShowError(result.Error);
        return View(new PasskeyStepUpViewModel(organization.Name, returnUrl));
    }

    private void ShowError(Error error)
    {
        ModelState.Clear();
        ModelState.AddModelError(string.Empty, error.Fields.Count > 0 ? error.Fields[0].Message : error.Description);
        Response.StatusCode = error.Code == SignInErrors.TryLater ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
    }
}

public sealed class PasskeyAnswerForm
{
    public string? Credential { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed record PasskeyStepUpViewModel(string OrganizationName, string ReturnUrl);
