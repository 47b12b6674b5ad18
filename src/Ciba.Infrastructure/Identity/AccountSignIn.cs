using System.Security.Claims;
using Ciba.Application.Accounts;
using Ciba.Application.Audit;
using Ciba.Domain.Audit;
using Ciba.Domain.Authentication;
using Ciba.Application.Common.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// Identity's sign-in confined to one organization. Identity's own lockout is not used for
/// sign-in: the throttle does that job without letting anyone lock a person out (ADR 0012);
/// <see cref="IdentityUser{TKey}.LockoutEnd"/> is an administrator's lock only.
/// </summary>
public sealed class AccountSignIn(
    SignInManager<CibaUser> signInManager,
    UserManager<CibaUser> users,
    IPasswordHasher<CibaUser> passwordHasher,
    IHttpContextAccessor httpContextAccessor,
    IAuditTrail audit,
    TimeProvider time)
    : IAccountSignIn
{
    private static readonly CibaUser Nobody = new() { Id = Guid.Empty, UserName = "nobody" };

    private static string? s_nobodysHash;

    public async Task<SignInOutcome> PasswordSignInAsync(Guid organizationId, string login, string password, CancellationToken cancellationToken)
    {
        var normalized = users.NormalizeName(login);
        var byEmail = login.Contains('@', StringComparison.Ordinal);
        var user = await users.Users
            .Where(u => u.OrganizationId == organizationId && (u.NormalizedUserName == normalized || (byEmail && u.NormalizedEmail == normalized)))
            .OrderBy(u => u.NormalizedUserName == normalized ? 0 : 1)
            .ThenBy(u => u.Id)
            .FirstOrDefaultAsync(cancellationToken);

        if (user is null)
        {
            // The same hash verification as for a real account, so the answer takes as long.
            s_nobodysHash ??= passwordHasher.HashPassword(Nobody, RandomTokens.Create());
            passwordHasher.VerifyHashedPassword(Nobody, s_nobodysHash, password);
            await audit.RecordNowAsync(
                new AuditRecord(organizationId, AuditActions.SignInFailed, AuditOutcome.Failed, AuditActorKind.User, null, Detail: "No such user."),
                cancellationToken);
            return SignInOutcome.Failed;
        }

        var passwordMatches = await users.CheckPasswordAsync(user, password);
        if (!passwordMatches || IsLocked(user) || !await signInManager.CanSignInAsync(user))
        {
            var why = !passwordMatches ? "Wrong password." : "The account is locked.";
            await audit.RecordNowAsync(
                new AuditRecord(organizationId, AuditActions.SignInFailed, AuditOutcome.Failed, AuditActorKind.User, user.UserName, user.Id, Detail: why),
                cancellationToken);
            return SignInOutcome.Failed;
        }

        if (await SecondFactorSignIn.HasAuthenticatorAppAsync(users, user))
        {
            await SecondFactorSignIn.BeginAsync(httpContextAccessor.HttpContext, user, time);
            return SignInOutcome.SecondFactorRequired;
        }

        await signInManager.SignInWithClaimsAsync(user, isPersistent: false, SecondFactorSignIn.MethodClaims([AuthenticationMethods.Password]));
        await audit.RecordNowAsync(
            new AuditRecord(organizationId, AuditActions.SignInSucceeded, AuditOutcome.Succeeded, AuditActorKind.User, user.UserName, user.Id),
            cancellationToken);
        return SignInOutcome.SignedIn;
    }

    public async Task SignOutAsync()
    {
        var context = httpContextAccessor.HttpContext ?? throw new InvalidOperationException("Sign-out happens in an HTTP request.");
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    public async Task<bool> IsSessionCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var user = await signInManager.ValidateSecurityStampAsync(principal);
        return user is not null
            && !IsLocked(user)
            && string.Equals(principal.FindFirstValue(CibaClaimTypes.OrganizationId), user.OrganizationId.ToString(), StringComparison.Ordinal);
    }

    private bool IsLocked(CibaUser user) => user.LockoutEnd is { } end && end > time.GetUtcNow();
}
