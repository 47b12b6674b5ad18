using Ciba.Application.Accounts.SecondFactor;
using Ciba.Domain.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace Ciba.Infrastructure.Identity;

/// <summary>Enrols and removes a person's authenticator app with Identity's authenticator support (ADR 0029).</summary>
public sealed class AuthenticatorApp(UserManager<CibaUser> users, SignInManager<CibaUser> signInManager, IHttpContextAccessor httpContextAccessor)
    : IAuthenticatorApp
{
    public const int RecoveryCodeCount = 10;

    public async Task<AuthenticatorAppState?> GetStateAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken)
    {
        var user = await FindAsync(organizationId, userId);
        if (user is null)
        {
            return null;
        }

        if (await SecondFactorSignIn.HasAuthenticatorAppAsync(users, user))
        {
            return new AuthenticatorAppState(true, user.UserName ?? string.Empty, null, await users.CountRecoveryCodesAsync(user));
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            await RenewAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        return new AuthenticatorAppState(false, user.UserName ?? string.Empty, key, 0);
    }

    public async Task<IReadOnlyList<string>?> ConfirmAsync(Guid organizationId, Guid userId, string code, CancellationToken cancellationToken)
    {
        var user = await FindAsync(organizationId, userId);
        if (user is null || await SecondFactorSignIn.HasAuthenticatorAppAsync(users, user) || string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)))
        {
            return null;
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            return null;
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await RenewAsync(user);
        return codes;
    }

    public async Task RemoveAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken)
    {
        var user = await FindAsync(organizationId, userId);
        if (user is null)
        {
            return;
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey");
        await RenewAsync(user);
    }

    public async Task<AvailableFactors> GetFactorsAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken)
    {
        var user = await FindAsync(organizationId, userId);
        if (user is null)
        {
            return new AvailableFactors(false, false, false);
        }

        // Passkeys live in our own table (ADR 0030), whatever Identity's schema version says.
        var passkey = users.SupportsUserPasskey && (await users.GetPasskeysAsync(user)).Count > 0;
        return new AvailableFactors(await users.HasPasswordAsync(user), await SecondFactorSignIn.HasAuthenticatorAppAsync(users, user), passkey);
    }

    private async Task<CibaUser?> FindAsync(Guid organizationId, Guid userId)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        return user is not null && user.OrganizationId == organizationId ? user : null;
    }

    private Task RenewAsync(CibaUser user) =>
        httpContextAccessor.HttpContext is { } context && context.User.Identity?.IsAuthenticated == true
            ? SecondFactorSignIn.RenewSessionAsync(context, signInManager, user)
            : Task.CompletedTask;
}
