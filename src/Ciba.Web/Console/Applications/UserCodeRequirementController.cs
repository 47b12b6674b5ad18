using Ciba.Application.Console.Applications.UpdateUserCodeRequirement;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Applications;

/// <summary>The Protocol tab's user-code block (product.md §12): its own form, saved apart from the rest.</summary>
[Route("t/{org}/console/applications/{id:guid}/protocol/user-code")]
public sealed class UserCodeRequirementController(IMediator mediator) : ConsoleController
{
    [HttpPost("")]
    public async Task<IActionResult> Update(Guid id, [FromForm] bool requireUserCode, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new UpdateUserCodeRequirementCommand(Organization.Id, id, requireUserCode), cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFoundIf(result.Error) ?? NotFound();
        }

        Flash(requireUserCode
            ? "Saved. Every request of this application must carry the person's user code."
            : "Saved. This application does not have to send a user code.");
        return Redirect(ConsolePath($"applications/{id}/protocol"));
    }
}

/// <summary>The user-code block of the Protocol tab.</summary>
public sealed class UserCodeRequirementViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid organizationId, Guid applicationId) =>
        View(new UserCodeRequirementModel(applicationId, await mediator.Send(new GetUserCodeRequirementQuery(organizationId, applicationId), HttpContext.RequestAborted) ?? false));
}

public sealed record UserCodeRequirementModel(Guid ApplicationId, bool RequireUserCode);
