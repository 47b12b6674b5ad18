using System.Net;
using Ciba.Application.Console.Organizations;
using Ciba.Web.Tests.Console;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Tests.Identity;

/// <summary>Issue 9 item 7: system administrators are named by user id, which an organization's administrators cannot change.</summary>
public sealed class SystemAdministratorTests(SystemAdministratorTests.ByIdFactory factory) : IClassFixture<SystemAdministratorTests.ByIdFactory>
{
    private const string Password = "Sysadmin-Passw0rd!";

    [Fact]
    public async Task AUserRenamedToTheSystemAdministratorsName_DoesNotBecomeOne()
    {
        var sysadminId = await factory.CreateUserAsync("root-person", Password, administrator: true);
        var impostorId = await factory.CreateUserAsync("impostor", Password, administrator: true);
        factory.Services.GetRequiredService<IOptions<SystemAdministratorOptions>>().Value.SystemAdministrators.Add(sysadminId.ToString());

        await RenameAsync(sysadminId, "root-person-old");
        await RenameAsync(impostorId, "root-person");
        using var impostor = await ConsoleSession.SignInAsync(factory, "root-person", Password);
        using var sysadmin = await ConsoleSession.SignInAsync(factory, "root-person-old", Password);

        using var refused = await impostor.GetAsync("/t/demo/console/organizations");
        using var allowed = await sysadmin.GetAsync("/t/demo/console/organizations");
        var impostorNav = await impostor.GetPageAsync("/t/demo/console/applications");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.DoesNotContain("/console/organizations\"", impostorNav, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEntryNamingAUser_RefusesToStart_NamingTheSetting()
    {
        var byName = new ByNameFactory();
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(byName.InitializeAsync);
            Assert.Contains("Ciba:SystemAdministrators", failure.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await byName.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("demo/*", "demo", true)]
    [InlineData("demo/*", "other", false)]
    [InlineData("demo/admin", "demo", false)]
    public void Includes_MatchesOrganizationWildcardsAndIdsOnly(string entry, string handle, bool included)
    {
        var options = new SystemAdministratorOptions();
        options.SystemAdministrators.Add(entry);

        Assert.Equal(included, options.Includes(handle, Guid.NewGuid()));
    }

    private async Task RenameAsync(Guid userId, string userName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Persistence.CibaDbContext>();
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        user.UserName = userName;
        user.NormalizedUserName = userName.ToUpperInvariant();
        await db.SaveChangesAsync();
    }

    /// <summary>No organization wildcard: only the ids a test adds.</summary>
    public sealed class ByIdFactory : IdentityWebFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Ciba:SystemAdministrators:0", Guid.Empty.ToString());
        }
    }

    /// <summary>The old form, <c>org/username</c>.</summary>
    private sealed class ByNameFactory : CibaWebFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Ciba:SystemAdministrators:0", "demo/admin");
        }
    }
}
