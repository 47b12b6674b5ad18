using Ciba.Application.Accounts.Passkeys;
using Ciba.Application.Common.Results;
using Ciba.Web.Organizations;
using Ciba.Web.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Accounts;

/// <summary>
/// The person's passkeys on their phone (product.md §16): add one (the WebAuthn step needs
/// JavaScript), see when each was added and last used, rename and remove (plain forms).
/// </summary>
[Route("t/{org}/account/passkeys")]
[FormBodyLimit]
public sealed class AccountPasskeysController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var (organization, user) = Current();
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle, $"/t/{organization.Handle}/account/passkeys");
        }

        return await ListAsync(organization, user, null, cancellationToken);
    }

    /// <summary>The options for <c>navigator.credentials.create()</c> (JSON).</summary>
    [HttpPost("creation-options")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> CreationOptions(CancellationToken cancellationToken)
    {
        var (organization, user) = Current();
        Response.Headers.CacheControl = "no-store";
        if (user is null)
        {
            return Unauthorized();
        }

        var options = await mediator.Send(new StartPasskeyRegistrationCommand(organization.Id, user.UserId), cancellationToken);
        return options.IsSuccess ? Content(options.Value, "application/json") : NotFound();
    }

    [HttpPost("")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Add([FromForm] AddPasskeyForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var (organization, user) = Current();
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle, $"/t/{organization.Handle}/account/passkeys");
        }

        var added = await mediator.Send(new RegisterPasskeyCommand(organization.Id, user.UserId, form.Credential, form.Name, user.UserName), cancellationToken);
        if (added.IsSuccess)
        {
            TempData["Flash"] = $"Passkey \"{added.Value.Name}\" added. You can now sign in with it, without your password.";
            return Redirect($"/t/{organization.Handle}/account/passkeys");
        }

        ShowErrors(added.Error, nameof(AddPasskeyForm.Credential));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await ListAsync(organization, user, form.Name, cancellationToken);
    }

    [HttpGet("{id}/rename")]
    public async Task<IActionResult> Rename(string id, CancellationToken cancellationToken)
    {
        var (organization, user) = Current();
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle, $"/t/{organization.Handle}/account/passkeys");
        }

        var passkey = (await mediator.Send(new ListPasskeysQuery(organization.Id, user.UserId), cancellationToken)).FirstOrDefault(p => p.Id == id);
        if (passkey is null)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        return View(new RenamePasskeyForm { Id = passkey.Id, Name = passkey.Name, CurrentName = passkey.Name });
    }

    [HttpPost("{id}/rename")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Rename(string id, [FromForm] RenamePasskeyForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var (organization, user) = Current();
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle, $"/t/{organization.Handle}/account/passkeys");
        }

        var renamed = await mediator.Send(new RenamePasskeyCommand(organization.Id, user.UserId, id, form.Name), cancellationToken);
        if (renamed.IsSuccess)
        {
            TempData["Flash"] = "Passkey renamed.";
            return Redirect($"/t/{organization.Handle}/account/passkeys");
        }

        if (renamed.Error.Code == ErrorCodes.NotFound)
        {
            return NotFound();
        }

        ShowErrors(renamed.Error, nameof(RenamePasskeyForm.Name));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(new RenamePasskeyForm { Id = id, Name = form.Name, CurrentName = form.CurrentName });
    }

    [HttpPost("{id}/remove")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Remove(string id, CancellationToken cancellationToken)
    {
        var (organization, user) = Current();
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle, $"/t/{organization.Handle}/account/passkeys");
        }

        var removed = await mediator.Send(new RemovePasskeyCommand(organization.Id, user.UserId, id, user.UserName), cancellationToken);
        TempData["Flash"] = removed.IsSuccess ? "Passkey removed. It can no longer sign you in." : "That passkey was already removed.";
        return Redirect($"/t/{organization.Handle}/account/passkeys");
    }

    private async Task<IActionResult> ListAsync(Application.Common.Interfaces.OrganizationSummary organization, SignedInUser user, string? name, CancellationToken cancellationToken)
    {
        var passkeys = await mediator.Send(new ListPasskeysQuery(organization.Id, user.UserId), cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return View("Index", new AccountPasskeysViewModel(organization.Name, user.UserName, passkeys, TempData["Flash"] as string, name));
    }

    private void ShowErrors(Error error, string field)
    {
        ModelState.Clear();
        foreach (var fieldError in error.Fields)
        {
            ModelState.AddModelError(fieldError.Field, fieldError.Message);
        }

        if (error.Fields.Count == 0)
        {
            ModelState.AddModelError(field, error.Description);
        }
    }

    private (Application.Common.Interfaces.OrganizationSummary Organization, SignedInUser? User) Current()
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        return (organization, SignedInUser.From(User, organization.Id));
    }

    private RedirectResult RedirectToSignIn(string handle, string returnUrl) =>
        Redirect($"/t/{handle}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
}

public sealed record AccountPasskeysViewModel(string OrganizationName, string UserName, IReadOnlyList<PasskeySummary> Passkeys, string? Flash, string? Name);

public sealed class AddPasskeyForm
{
    public string? Credential { get; set; }

    public string? Name { get; set; }
}

public sealed class RenamePasskeyForm
{
    public string Id { get; set; } = string.Empty;

    public string? Name { get; set; }

    public string? CurrentName { get; set; }
}
