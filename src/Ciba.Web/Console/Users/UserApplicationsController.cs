using Ciba.Application.Accounts.Applications;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Users;

/// <summary>An administrator signs an application out for a user (product.md §13): its refresh tokens for them are revoked.</summary>
[Route("t/{org}/console/users/{id:guid}/applications")]
public sealed class UserApplicationsController(IMediator mediator) : ConsoleController
{
    [HttpPost("{applicationId:guid}/sign-out")]
    public async Task<IActionResult> SignOutApplication(Guid id, Guid applicationId, CancellationToken cancellationToken)
    {
        await mediator.Send(new SignOutApplicationCommand(Organization.Id, id, applicationId, Administrator.UserName), cancellationToken);
        Flash("The application was signed out for this user.");
        return Redirect(ConsolePath($"users/{id}"));
    }
}

/// <summary>The applications that stay signed in for a user, on their console page, each with <b>Sign out</b>.</summary>
public sealed class SignedInApplicationsViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid organizationId, Guid userId) =>
        View(new SignedInApplicationsModel(userId, await mediator.Send(new ListSignedInApplicationsQuery(organizationId, userId), HttpContext.RequestAborted)));
}

public sealed record SignedInApplicationsModel(Guid UserId, IReadOnlyList<Application.Tokens.Refresh.SignedInApplication> Applications);
