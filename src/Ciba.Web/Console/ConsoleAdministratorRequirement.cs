using Ciba.Web.Accounts;
using Ciba.Web.Organizations;
using Microsoft.AspNetCore.Authorization;

namespace Ciba.Web.Console;

/// <summary>
/// The console is for administrators of the organization in the path. Signed out: the sign-in
/// page; signed in without the role (or to another organization): 403.
/// </summary>
public sealed class ConsoleAdministratorRequirement : IAuthorizationRequirement
{
    public const string PolicyName = "ConsoleAdministrator";
}

internal sealed class ConsoleAdministratorHandler(IHttpContextAccessor httpContextAccessor) : AuthorizationHandler<ConsoleAdministratorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ConsoleAdministratorRequirement requirement)
    {
        var httpContext = context.Resource as HttpContext ?? httpContextAccessor.HttpContext;
        var organization = httpContext is null ? null : OrganizationRouteMiddleware.Current(httpContext);
        if (organization is not null && SignedInUser.From(context.User, organization.Id) is { IsAdministrator: true })
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
