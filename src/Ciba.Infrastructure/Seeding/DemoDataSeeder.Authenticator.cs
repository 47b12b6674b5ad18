using Ciba.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace Ciba.Infrastructure.Seeding;

/// <summary>product.md §18: carol signs in with a password and an authenticator app.</summary>
public sealed partial class DemoDataSeeder
{
    public const string AuthenticatorUserName = "carol";

    /// <summary>The RFC 4648 Base32 secret of carol's authenticator app (product.md §18).</summary>
    public const string AuthenticatorKey = "JBSWY3DPEHPK3PXP";

    private async Task EnsureAuthenticatorAppAsync(CancellationToken cancellationToken)
    {
        var carol = await users.FindByNameAsync(AuthenticatorUserName);
        if (carol is null || await users.GetTwoFactorEnabledAsync(carol))
        {
            return;
        }

        await ((IUserAuthenticatorKeyStore<CibaUser>)userStore).SetAuthenticatorKeyAsync(carol, AuthenticatorKey, cancellationToken);
        ThrowIfFailed(await users.SetTwoFactorEnabledAsync(carol, true));
    }
}
