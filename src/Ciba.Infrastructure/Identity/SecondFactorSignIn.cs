using System.Globalization;
using System.Security.Claims;
using Ciba.Application.Accounts;
using Ciba.Application.Accounts.SecondFactor;
using Ciba.Domain.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// The authenticator-app step (ADR 0029). Between the password and the code, the person holds
/// Identity's short-lived two-factor cookie (<see cref="IdentityConstants.TwoFactorUserIdScheme"/>),
/// which names them and what they proved; only the code turns it into a session. A signed-in
/// person stepping up for a request gives the code the same way, and keeps their session's methods.
/// </summary>
public sealed class SecondFactorSignIn(
    SignInManager<CibaUser> signInManager,
    UserManager<CibaUser> users,
    IHttpContextAccessor httpContextAccessor)
    : ISecondFactorSignIn
{
    /// <summary>How long the code step waits after the password.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    private HttpContext Context => httpContextAccessor.HttpContext ?? throw new InvalidOperationException("The second factor is given in an HTTP request.");

    public static async Task<bool> HasAuthenticatorAppAsync(UserManager<CibaUser> users, CibaUser user)
    {
        ArgumentNullException.ThrowIfNull(users);
        return await users.GetTwoFactorEnabledAsync(user) && !string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user));
    }

    public static IEnumerable<Claim> MethodClaims(IEnumerable<string> methods) =>
        AuthenticationMethods.Normalize(methods).Select(m => new Claim(CibaClaimTypes.AuthenticationMethod, m));

    /// <summary>The password was right: remember who, for the code step only.</summary>
    public static Task BeginAsync(HttpContext? context, CibaUser user, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(time);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(CibaClaimTypes.OrganizationId, user.OrganizationId.ToString()),
                .. MethodClaims([AuthenticationMethods.Password]),
            ],
            IdentityConstants.TwoFactorUserIdScheme);
        var now = time.GetUtcNow();
        return context.SignInAsync(
            IdentityConstants.TwoFactorUserIdScheme,
            new ClaimsPrincipal(identity),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + PendingLifetime, IsPersistent = false });
    }

    public async Task<SecondFactorCandidate?> FindCandidateAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var pending = await Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var principal = pending.Succeeded && BelongsTo(pending.Principal, organizationId) ? pending.Principal : Context.User;
        if (!BelongsTo(principal, organizationId)
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return null;
        }

        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.OrganizationId != organizationId)
        {
            return null;
        }

        var methods = principal.FindAll(CibaClaimTypes.AuthenticationMethod).Select(c => c.Value).ToList();
        return new SecondFactorCandidate(
            organizationId,
            user.Id,
            user.UserName ?? string.Empty,
            methods.Count == 0 ? [AuthenticationMethods.Password] : AuthenticationMethods.Normalize(methods),
            await HasAuthenticatorAppAsync(users, user));
    }

    public async Task<bool> VerifyAndSignInAsync(SecondFactorCandidate candidate, string code, bool recoveryCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var user = await users.FindByIdAsync(candidate.UserId.ToString());
        if (user is null || user.OrganizationId != candidate.OrganizationId || !await signInManager.CanSignInAsync(user))
        {
            return false;
        }

        var valid = recoveryCode
            ? (await users.RedeemTwoFactorRecoveryCodeAsync(user, code)).Succeeded
            : await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
        if (!valid)
        {
            return false;
        }

        await Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signInManager.SignInWithClaimsAsync(user, isPersistent: false, MethodClaims([.. candidate.Methods, AuthenticationMethods.OneTimePassword]));
        return true;
    }

    private static bool BelongsTo(ClaimsPrincipal? principal, Guid organizationId) =>
        principal?.Identity?.IsAuthenticated == true
        && string.Equals(principal.FindFirstValue(CibaClaimTypes.OrganizationId), organizationId.ToString(), StringComparison.Ordinal);

    /// <summary>
    /// A change to the person's second factor renews their security stamp, which ends their other
    /// sessions (ADR 0012); this one is issued again with the same moment of sign-in and methods.
    /// </summary>
    internal static async Task RenewSessionAsync(HttpContext context, SignInManager<CibaUser> signInManager, CibaUser user)
    {
        var current = context.User;
        var principal = await signInManager.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        if (current.FindFirst(CibaClaimTypes.AuthenticatedAt) is { } authenticatedAt
            && long.TryParse(authenticatedAt.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            foreach (var fresh in identity.FindAll(CibaClaimTypes.AuthenticatedAt).ToList())
            {
                identity.RemoveClaim(fresh);
            }

            identity.AddClaim(new Claim(CibaClaimTypes.AuthenticatedAt, authenticatedAt.Value));
        }

        identity.AddClaims(MethodClaims(current.FindAll(CibaClaimTypes.AuthenticationMethod).Select(c => c.Value)));
        await context.SignInAsync(IdentityConstants.ApplicationScheme, principal, new AuthenticationProperties { IsPersistent = false });
    }
}
