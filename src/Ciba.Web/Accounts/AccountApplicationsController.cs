using Ciba.Application.Accounts.Applications;
using Ciba.Web.Organizations;
using Ciba.Web.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Accounts;

/// <summary>
/// The person's own page on the phone: the applications that stay signed in for them (hold a
/// refresh token), each with <b>Sign out</b>, which revokes them (product.md §13).
/// </summary>
[Route("t/{org}/account/applications")]
[FormBodyLimit]
public sealed class AccountApplicationsController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var user = SignedInUser.From(User, organization.Id);
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle);
        }

        var applications = await mediator.Send(new ListSignedInApplicationsQuery(organization.Id, user.UserId), cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return View(new AccountApplicationsViewModel(organization.Name, user.UserName, applications, TempData["Flash"] as string));
    }

    [HttpPost("{applicationId:guid}/sign-out")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> SignOutApplication(Guid applicationId, CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var user = SignedInUser.From(User, organization.Id);
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle);
        }

        await mediator.Send(new SignOutApplicationCommand(organization.Id, user.UserId, applicationId), cancellationToken);
        TempData["Flash"] = "The application was signed out. It has to ask you again to get back in.";
        return Redirect($"/t/{organization.Handle}/account/applications");
    }

    private RedirectResult RedirectToSignIn(string handle) =>
        Redirect($"/t/{handle}/login?returnUrl={Uri.EscapeDataString($"/t/{handle}/account/applications")}");
}

public sealed record AccountApplicationsViewModel(
    string OrganizationName, string UserName, IReadOnlyList<Application.Tokens.Refresh.SignedInApplication> Applications, string? Flash);
