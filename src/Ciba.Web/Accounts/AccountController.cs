using Ciba.Application.Accounts;
using Ciba.Application.Accounts.SignIn;
using Ciba.Application.Common.Results;
using Ciba.Web.Organizations;
using Ciba.Web.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Accounts;

/// <summary>Sign-in and sign-out of an organization (shared by the consent pages and the console).</summary>
[Route("t/{org}")]
[FormBodyLimit]
public sealed class AccountController(IMediator mediator, IAccountSignIn signIn) : Controller
{
    [HttpGet("login")]
    public IActionResult SignIn(string? returnUrl)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        return View(new SignInViewModel { OrganizationName = organization.Name, ReturnUrl = SafeReturnUrl(organization.Handle, returnUrl) });
    }

    [HttpPost("login")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Protection.RateLimits.PerAddress)]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> SignIn([FromForm] SignInViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var returnUrl = SafeReturnUrl(organization.Handle, form.ReturnUrl);
        var result = await mediator.Send(new SignInCommand(organization.Id, form.Login, form.Password, HttpContext.Connection.RemoteIpAddress), cancellationToken);
        if (result.IsSuccess)
        {
            return result.Value == SignInOutcome.SecondFactorRequired
                ? LocalRedirect(SecondFactorController.CodePage(organization.Handle, returnUrl))
                : LocalRedirect(returnUrl);
        }

        ModelState.Clear();
        foreach (var field in result.Error.Fields)
        {
            ModelState.AddModelError(field.Field == nameof(SignInCommand.Login) ? nameof(SignInViewModel.Login) : field.Field, field.Message);
        }

        if (result.Error.Fields.Count == 0)
        {
            ModelState.AddModelError(string.Empty, result.Error.Description);
        }

        Response.StatusCode = result.Error.Code == SignInErrors.TryLater ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
        return View(new SignInViewModel { OrganizationName = organization.Name, ReturnUrl = returnUrl, Login = form.Login });
    }

    [HttpPost("logout")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> SignOut(string? returnUrl)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        await signIn.SignOutAsync();
        var next = SafeReturnUrl(organization.Handle, returnUrl);
        return Redirect($"/t/{organization.Handle}/login?returnUrl={Uri.EscapeDataString(next)}");
    }

    /// <summary>
    /// Only a path inside the same organization, in printable ASCII (a redirect's Location header
    /// takes nothing else, and CR/LF would split it); anything else goes to its console.
    /// </summary>
    internal static string SafeReturnUrl(string organizationHandle, string? returnUrl)
    {
        var prefix = $"/t/{organizationHandle}/";
        return returnUrl is not null
            && returnUrl.Length <= 2048
            && returnUrl.StartsWith(prefix, StringComparison.Ordinal)
            && !returnUrl.Contains("//", StringComparison.Ordinal)
            && !returnUrl.Contains('\\', StringComparison.Ordinal)
            && returnUrl.All(c => c is > ' ' and < (char)0x7F)
            && !returnUrl.Contains("/../", StringComparison.Ordinal)
            ? returnUrl
            : prefix + "console";
    }
}
