using Ciba.Application.Accounts.UserCodes;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Users;

/// <summary>An administrator clears a person's user code (product.md §12): never sees it, only whether there is one.</summary>
[Route("t/{org}/console/users/{id:guid}/user-code")]
public sealed class UserCodeController(IMediator mediator) : ConsoleController
{
    [HttpPost("clear")]
    public async Task<IActionResult> Clear(Guid id, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new ClearUserCodeCommand(Organization.Id, id), cancellationToken);
        Flash(result.IsSuccess
            ? "The user code was cleared. The person can set a new one on their account page."
            : "This user has no user code.");
        return Redirect(ConsolePath($"users/{id}"));
    }
}

/// <summary>The user-code card of a user's console page: whether they have one, and <b>Clear</b>.</summary>
public sealed class UserCodeViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid organizationId, Guid userId) =>
        View(new UserCodeModel(userId, await mediator.Send(new HasUserCodeQuery(organizationId, userId), HttpContext.RequestAborted)));
}

public sealed record UserCodeModel(Guid UserId, bool HasCode);
