using Ciba.Application.Accounts.Activity;
using Ciba.Application.Accounts.UserCodes;
using Ciba.Web.Organizations;
using Ciba.Web.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Accounts;

/// <summary>
/// The person's home on the phone (issue 15): links to each section of their account (one list item
/// each), their latest requests and the reports they made; and the page to set their user code
/// (product.md §12, GOV.UK form pattern of §17).
/// </summary>
[Route("t/{org}/account")]
[FormBodyLimit]
public sealed class AccountHomeController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        if (SignedInUser.From(User, organization.Id) is not { } user)
        {
            return RedirectToSignIn(organization.Handle, "account");
        }

        var activity = await mediator.Send(new ListMyActivityQuery(organization.Id, user.UserId), cancellationToken);
        var hasCode = await mediator.Send(new HasUserCodeQuery(organization.Id, user.UserId), cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return View("~/Views/Account/Home.cshtml", new AccountHomeViewModel(organization.Name, user.UserName, hasCode, activity, TempData["Flash"] as string));
    }

    [HttpGet("user-code")]
    public async Task<IActionResult> UserCode(CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        if (SignedInUser.From(User, organization.Id) is not { } user)
        {
            return RedirectToSignIn(organization.Handle, "account/user-code");
        }

        var hasCode = await mediator.Send(new HasUserCodeQuery(organization.Id, user.UserId), cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return View("~/Views/Account/UserCode.cshtml", new UserCodeFormViewModel { HasCode = hasCode, OrganizationName = organization.Name, UserName = user.UserName });
    }

    [HttpPost("user-code")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> SetUserCode([FromForm] UserCodeFormViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        if (SignedInUser.From(User, organization.Id) is not { } user)
        {
            return RedirectToSignIn(organization.Handle, "account/user-code");
        }

        var result = await mediator.Send(new SetUserCodeCommand(organization.Id, user.UserId, form.Code, form.ConfirmCode), cancellationToken);
        if (!result.IsSuccess)
        {
            // GOV.UK pattern: every error at once, in form order; codes are never typed back in.
            ModelState.Clear();
            foreach (var field in result.Error.Fields)
            {
                ModelState.AddModelError(field.Field, field.Message);
            }

            ViewData[Forms.FieldErrorTagHelper.FieldOrderKey] = new List<string> { nameof(UserCodeFormViewModel.Code), nameof(UserCodeFormViewModel.ConfirmCode) };
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Response.Headers.CacheControl = "no-store";
            var hasCode = await mediator.Send(new HasUserCodeQuery(organization.Id, user.UserId), cancellationToken);
            return View("~/Views/Account/UserCode.cshtml", new UserCodeFormViewModel { HasCode = hasCode, OrganizationName = organization.Name, UserName = user.UserName });
        }

        TempData["Flash"] = "Your user code is set. Give it only to a call centre or application you trust to ask for it.";
        return Redirect($"/t/{organization.Handle}/account");
    }

    private RedirectResult RedirectToSignIn(string handle, string path) =>
        Redirect($"/t/{handle}/login?returnUrl={Uri.EscapeDataString($"/t/{handle}/{path}")}");
}

public sealed record AccountHomeViewModel(string OrganizationName, string UserName, bool HasUserCode, MyActivity Activity, string? Flash);

public sealed class UserCodeFormViewModel
{
    public string? Code { get; set; }

    public string? ConfirmCode { get; set; }

    public bool HasCode { get; set; }

    public string OrganizationName { get; set; } = string.Empty;

    public string UserName { get; set; } = string.Empty;
}
