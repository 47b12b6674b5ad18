using Ciba.Application.Common.Interfaces;
using Ciba.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Identity;

/// <summary>People of the demo organization made for one test, so tests never share a person's codes.</summary>
internal static class AuthenticatorUsers
{
    /// <summary>A person with a password and no second factor; returns their (unique) user name.</summary>
    public static async Task<string> CreateAsync(CibaWebFactory factory, string prefix, string password)
    {
        var userName = prefix + Guid.NewGuid().ToString("N")[..6];
        await InDemoAsync(factory, async users =>
        {
            var result = await users.CreateAsync(new CibaUser { OrganizationId = users.OrganizationId, UserName = userName }, password);
            Assert.True(result.Succeeded);
        });
        return userName;
    }

    /// <summary>A person with a password and the authenticator app on; returns their user name and the app's key.</summary>
    public static async Task<(string UserName, string Key)> CreateWithAppAsync(CibaWebFactory factory, string prefix, string password)
    {
        var userName = await CreateAsync(factory, prefix, password);
        var key = string.Empty;
        await InDemoAsync(factory, async users =>
        {
            var user = (await users.Manager.FindByNameAsync(userName))!;
            Assert.True((await users.Manager.ResetAuthenticatorKeyAsync(user)).Succeeded);
            Assert.True((await users.Manager.SetTwoFactorEnabledAsync(user, true)).Succeeded);
            key = (await users.Manager.GetAuthenticatorKeyAsync(user))!;
        });
        return (userName, key);
    }

    /// <summary>Runs <paramref name="action"/> with a user manager scoped to the demo organization, in a scope of its own.</summary>
    public static async Task InDemoAsync(CibaWebFactory factory, Func<DemoUsers, Task> action)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = factory.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var organization = (await provider.GetRequiredService<IOrganizationLookup>().FindByHandleAsync("demo", CancellationToken.None))!;
        provider.GetRequiredService<IOrganizationContext>().Enter(organization.Id, organization.Handle);
        await action(new DemoUsers(organization.Id, provider.GetRequiredService<UserManager<CibaUser>>()));
    }

    internal sealed record DemoUsers(Guid OrganizationId, UserManager<CibaUser> Manager)
    {
        public Task<IdentityResult> CreateAsync(CibaUser user, string password) => Manager.CreateAsync(user, password);
    }
}
