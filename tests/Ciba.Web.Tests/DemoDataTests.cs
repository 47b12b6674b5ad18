using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests;

public class DemoDataTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task Seed_CreatesTheDemoOrganizationAsDocumented()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Handle == "demo");
        scope.ServiceProvider.GetRequiredService<IOrganizationContext>().Enter(organization.Id, organization.Handle);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CibaUser>>();

        var admin = await users.FindByNameAsync("admin");
        Assert.NotNull(admin);
        Assert.True(await users.CheckPasswordAsync(admin, "Admin-Passw0rd!"));
        Assert.True(await users.IsInRoleAsync(admin, Roles.Administrator));
        var alice = await users.FindByNameAsync("alice");
        Assert.Equal("+15550100001", alice!.PhoneNumber);
        Assert.True(alice.EmailConfirmed);
        var bob = await users.FindByNameAsync("bob");
        Assert.False(bob!.EmailConfirmed);
        Assert.Null(bob.PhoneNumber);

        var tv = await db.Applications.SingleAsync(a => a.ClientId == "demo-tv");
        Assert.True(tv.AllowsCiba);
        Assert.Equal(CibaSettings.AllChannels, tv.CibaSettings.Channels);
        Assert.True(SecretHashing.VerifyClientSecret("demo-tv-secret", tv.ClientSecretHash));
        var kiosk = await db.Applications.SingleAsync(a => a.ClientId == "demo-kiosk");
        Assert.Equal(NotificationChannels.External, kiosk.CibaSettings.Channels);
        var web = await db.Applications.SingleAsync(a => a.ClientId == "demo-web");
        Assert.False(web.AllowsCiba);

        // Issue 13 item 4: the seed ticks only grants that work; the demo API's scopes are the kiosk's.
        Assert.Equal([GrantTypes.Ciba, GrantTypes.RefreshToken], tv.GrantTypes);
        Assert.Equal([GrantTypes.Ciba, GrantTypes.RefreshToken], kiosk.GrantTypes);
        Assert.Empty(web.GrantTypes);
        Assert.All((await db.Applications.ToListAsync()).SelectMany(a => a.GrantTypes), g => Assert.True(GrantTypes.IsServed(g)));
        Assert.Equal([DemoApis.PhotosRead], kiosk.ApiScopes);
        var api = await db.ApiResources.Include(a => a.Scopes).SingleAsync(a => a.OrganizationId == organization.Id);
        Assert.Equal(DemoApis.PhotosIdentifier, api.Identifier);
        Assert.Equal([DemoApis.PhotosRead, DemoApis.PhotosWrite], api.Scopes.Select(s => s.Value).Order());

        var providers = await db.NotificationProviders.SingleAsync(p => p.OrganizationId == organization.Id);
        Assert.Equal(EmailProviderKind.DevelopmentInbox, providers.EmailProvider);
        Assert.Equal(SmsProviderKind.DevelopmentInbox, providers.SmsProvider);
    }

    [Fact]
    public async Task Seed_RunTwice_ChangesNothing()
    {
        int Count(CibaDbContext db) => db.Applications.Count() + db.Users.Count() + db.Organizations.Count();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var before = Count(db);

        await using (var seedScope = factory.Services.CreateAsyncScope())
        {
            await seedScope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(CancellationToken.None);
        }

        Assert.Equal(before, Count(db));
    }
}
