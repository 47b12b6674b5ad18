using Ciba.Application.Console.Organizations;
using Ciba.Application.Console.Organizations.Create;
using Ciba.Application.Console.Organizations.List;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Console.Organizations;

/// <summary>Organizations: system administrators (<c>Ciba:SystemAdministrators</c>) list them and create new ones.</summary>
[Route("t/{org}/console/organizations")]
public sealed class OrganizationsController(IMediator mediator, IOptions<SystemAdministratorOptions> systemAdministrators) : ConsoleController
{
    public override void OnActionExecuting(ActionExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!systemAdministrators.Value.Includes(Organization.Handle, Administrator.UserId))
        {
            context.Result = Forbid();
        }
    }

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await mediator.Send(new ListOrganizationsQuery(), cancellationToken));

    [HttpGet("new")]
    public IActionResult New() => View(new NewOrganizationViewModel());

    [HttpPost("new")]
    public async Task<IActionResult> New([FromForm] NewOrganizationViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(
            new CreateOrganizationCommand(form.Handle, form.Name, form.AdminUserName, form.AdminEmail, form.AdminPassword), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowErrors(result.Error);
            form.AdminPassword = null;
            return View(form);
        }

        Flash($"{result.Value.Name} was created. Its administrator signs in at /t/{result.Value.Handle}/login.");
        return Redirect(ConsolePath("organizations"));
    }
}

public sealed class NewOrganizationViewModel
{
    public string? Handle { get; set; }

    public string? Name { get; set; }

    public string? AdminUserName { get; set; }

    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }
}
