using Ciba.Application.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace Ciba.Infrastructure.Identity;

/// <summary>Identity's sign-in manager confined to one organization (the user store is scoped to it).</summary>
public sealed class AccountSignIn(SignInManager<CibaUser> signInManager, UserManager<CibaUser> users, IHttpContextAccessor httpContextAccessor)
    : IAccountSignIn
{
    public async Task<SignInOutcome> PasswordSignInAsync(Guid organizationId, string login, string password, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(login);
        if (user is null && login.Contains('@', StringComparison.Ordinal))
        {
            user = await users.FindByEmailAsync(login);
        }

        if (user is null || user.OrganizationId != organizationId)
        {
            return SignInOutcome.Failed;
        }

        var result = await signInManager.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return SignInOutcome.SignedIn;
        }

        return result.IsLockedOut ? SignInOutcome.LockedOut : result.IsNotAllowed ? SignInOutcome.NotAllowed : SignInOutcome.Failed;
    }

    public async Task SignOutAsync()
    {
        var context = httpContextAccessor.HttpContext ?? throw new InvalidOperationException("Sign-out happens in an HTTP request.");
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
