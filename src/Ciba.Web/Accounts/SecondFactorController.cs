using Ciba.Application.Accounts.SecondFactor;
using Ciba.Application.Accounts.SignIn;
using Ciba.Application.Common.Interfaces;
using Ciba.Web.Organizations;
using Ciba.Web.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Accounts;

/// <summary>
/// The second step of a sign-in, and the step-up a request may ask for (product.md §16, ADR 0029):
/// the code of the person's authenticator app, or one of their recovery codes. No JavaScript.
/// </summary>
[Route("t/{org}/login/code")]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
[FormBodyLimit]
public sealed class SecondFactorController(IMediator mediator, ISecondFactorSignIn secondFactor) : Controller
{
    /// <summary>The code page for <paramref name="returnUrl"/> (already checked to stay in the organization).</summary>
    public static string CodePage(string organizationHandle, string returnUrl) =>
        $"/t/{organizationHandle}/login/code?returnUrl={Uri.EscapeDataString(returnUrl)}";

    [HttpGet("")]
    public async Task<IActionResult> Show(string? returnUrl, bool recovery, CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var next = AccountController.SafeReturnUrl(organization.Handle, returnUrl);
        var candidate = await secondFactor.FindCandidateAsync(organization.Id, cancellationToken);
        if (candidate is null)
        {
            return Redirect($"/t/{organization.Handle}/login?returnUrl={Uri.EscapeDataString(next)}");
        }

        if (!candidate.HasAuthenticatorApp)
        {
            return LocalRedirect(next);
        }

        return View("Code", Model(organization, candidate, next, recovery));
    }

    [HttpPost("")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Protection.RateLimits.PerAddress)]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Verify([FromForm] SecondFactorViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var next = AccountController.SafeReturnUrl(organization.Handle, form.ReturnUrl);
        var candidate = await secondFactor.FindCandidateAsync(organization.Id, cancellationToken);
        var result = await mediator.Send(
            new VerifySecondFactorCommand(organization.Id, form.Code, form.Recovery, HttpContext.Connection.RemoteIpAddress), cancellationToken);
        if (result.IsSuccess)
        {
            return LocalRedirect(next);
        }

        if (result.Error.Code == SecondFactorErrors.NoSignIn || candidate is null)
        {
            return Redirect($"/t/{organization.Handle}/login?returnUrl={Uri.EscapeDataString(next)}");
        }

        ModelState.Clear();
        var field = nameof(SecondFactorViewModel.Code);
        foreach (var error in result.Error.Fields)
        {
            ModelState.AddModelError(field, error.Message);
        }

        if (result.Error.Fields.Count == 0)
        {
            ModelState.AddModelError(result.Error.Code == SignInErrors.TryLater ? string.Empty : field, result.Error.Description);
        }

        Response.StatusCode = result.Error.Code == SignInErrors.TryLater ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
        return View("Code", Model(organization, candidate, next, form.Recovery));
    }

    private static SecondFactorViewModel Model(OrganizationSummary organization, SecondFactorCandidate candidate, string returnUrl, bool recovery) => new()
    {
        OrganizationName = organization.Name,
        UserName = candidate.UserName,
        ReturnUrl = returnUrl,
        Recovery = recovery,
        SwitchUrl = CodePage(organization.Handle, returnUrl) + (recovery ? string.Empty : "&recovery=true"),
    };
}

public sealed class SecondFactorViewModel
{
    public string OrganizationName { get; set; } = string.Empty;

    public string UserName { get; set; } = string.Empty;

    public string? Code { get; set; }

    /// <summary>A recovery code instead of the app's code.</summary>
    public bool Recovery { get; set; }

    public string? ReturnUrl { get; set; }

    /// <summary>The same page asking for the other kind of code.</summary>
    public string SwitchUrl { get; set; } = string.Empty;
}
