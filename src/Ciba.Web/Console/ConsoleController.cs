using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Web.Accounts;
using Ciba.Web.Organizations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Ciba.Web.Console;

/// <summary>What every console page shares: administrators only, antiforgery on every POST, views under <c>Views/Console</c>.</summary>
[Area("Console")]
[Authorize(Policy = ConsoleAdministratorRequirement.PolicyName)]
[AutoValidateAntiforgeryToken]
public abstract class ConsoleController : Controller
{
    protected OrganizationSummary Organization =>
        OrganizationRouteMiddleware.Current(HttpContext) ?? throw new InvalidOperationException("The console lives under /t/{org}.");

    protected SignedInUser Administrator =>
        SignedInUser.From(User, Organization.Id) ?? throw new InvalidOperationException("The console policy admits signed-in administrators only.");

    protected string ConsolePath(string path) => $"/t/{Organization.Handle}/console/{path}";

    /// <summary>A failed command's errors next to their fields; a failure without fields at the top of the form.</summary>
    protected void ShowErrors(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ModelState.Clear();
        foreach (var field in error.Fields)
        {
            ModelState.AddModelError(field.Field, field.Message);
        }

        ViewData[Forms.FieldErrorTagHelper.FieldOrderKey] = error.Fields.Select(f => f.Field).Distinct(StringComparer.Ordinal).ToList();

        if (error.Fields.Count == 0)
        {
            ModelState.AddModelError(string.Empty, error.Description);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    /// <summary>The page to show after a failed command: 404 when the thing is not this organization's.</summary>
    protected IActionResult? NotFoundIf(Error error) =>
        error?.Code == ErrorCodes.NotFound ? NotFound() : null;

    protected void Flash(string message) => TempData["Flash"] = message;

    /// <summary>The administrator's changes in this action are audited where they are saved (ADR 0027).</summary>
    public override async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var organization = OrganizationRouteMiddleware.Current(HttpContext);
        var administrator = organization is null ? null : SignedInUser.From(User, organization.Id);
        Application.Audit.AuditAmbient.Administrator = administrator is null
            ? null
            : new Application.Audit.AuditAdministrator(organization!.Id, administrator.UserId, administrator.UserName);
        try
        {
            // The base runs OnActionExecuting (where controllers refuse, e.g. the organizations page for
            // anyone but a system administrator) and OnActionExecuted around the action: never skip it.
            await base.OnActionExecutionAsync(context, next);
        }
        finally
        {
            Application.Audit.AuditAmbient.Administrator = null;
        }
    }
}
