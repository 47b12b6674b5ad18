using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ciba.Application.Tests.Persistence;

public class PersistenceTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Organization_RoundTrips()
    {
        var organization = await CreateOrganizationAsync("acme");

        var loaded = await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().Organizations.SingleAsync(o => o.Handle == "acme"));

        Assert.Equal(organization.Id, loaded.Id);
        Assert.Equal("Acme", loaded.Name);
    }

    [Fact]
    public async Task Application_WithCibaSettings_RoundTrips()
    {
        var organization = await CreateOrganizationAsync("acme");
        var settings = CibaSettings.Create(300, NotificationChannels.Email | NotificationChannels.External, 5);
        await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.Applications.Add(ClientApplication.Create(
                organization.Id, "Living room TV", "tv-client", SecretHashing.HashClientSecret("s3cret"), [GrantTypes.Ciba], settings, fixture.Time.GetUtcNow()));
            return await db.SaveChangesAsync();
        });

        var loaded = await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().Applications.AsNoTracking().SingleAsync(a => a.ClientId == "tv-client"));

        Assert.Equal(settings, loaded.CibaSettings);
        Assert.Equal([GrantTypes.Ciba], loaded.GrantTypes);
        Assert.True(loaded.AllowsCiba);
        Assert.DoesNotContain("s3cret", loaded.ClientSecretHash, StringComparison.Ordinal);
        Assert.True(SecretHashing.VerifyClientSecret("s3cret", loaded.ClientSecretHash));
    }

    [Fact]
    public async Task Application_WithDuplicateClientId_IsRefused()
    {
        var organization = await CreateOrganizationAsync("acme");
        var other = await CreateOrganizationAsync("globex");
        await AddApplicationAsync(organization.Id, "same-id");

        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => AddApplicationAsync(other.Id, "same-id"));

        var postgres = Assert.IsType<PostgresException>(failure.InnerException);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, postgres.SqlState);
    }

    [Fact]
    public async Task Users_SameUsernameInTwoOrganizations_AreTwoPeople()
    {
        var acme = await CreateOrganizationAsync("acme");
        var globex = await CreateOrganizationAsync("globex");

        var acmeResult = await CreateUserAsync(acme.Id, "alice", "alice@acme.test");
        var globexResult = await CreateUserAsync(globex.Id, "alice", "alice@globex.test");

        Assert.True(acmeResult.Succeeded);
        Assert.True(globexResult.Succeeded);
        var acmeAlice = await fixture.InScopeAsync(sp => sp.GetRequiredService<UserManager<CibaUser>>().FindByNameAsync("alice"), acme.Id);
        var globexAlice = await fixture.InScopeAsync(sp => sp.GetRequiredService<UserManager<CibaUser>>().FindByNameAsync("alice"), globex.Id);
        Assert.Equal("alice@acme.test", acmeAlice!.Email);
        Assert.Equal("alice@globex.test", globexAlice!.Email);
        Assert.NotEqual(acmeAlice.Id, globexAlice.Id);
    }

    [Fact]
    public async Task Users_SameUsernameTwiceInOneOrganization_IsRefused()
    {
        var acme = await CreateOrganizationAsync("acme");
        await CreateUserAsync(acme.Id, "alice", "alice@acme.test");

        var second = await CreateUserAsync(acme.Id, "Alice", "other@acme.test");

        Assert.False(second.Succeeded);
        Assert.Contains(second.Errors, e => e.Code == "DuplicateUserName");
    }

    [Fact]
    public async Task Users_LookupWithoutOrganization_FindsNobody()
    {
        var acme = await CreateOrganizationAsync("acme");
        await CreateUserAsync(acme.Id, "alice", "alice@acme.test");

        var found = await fixture.InScopeAsync(sp => sp.GetRequiredService<UserManager<CibaUser>>().FindByNameAsync("alice"));

        Assert.Null(found);
    }

    private async Task<Organization> CreateOrganizationAsync(string handle)
    {
        var organization = Organization.Create(handle, char.ToUpperInvariant(handle[0]) + handle[1..], fixture.Time.GetUtcNow());
        await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.Organizations.Add(organization);
            return await db.SaveChangesAsync();
        });
        return organization;
    }

    private Task<int> AddApplicationAsync(Guid organizationId, string clientId) =>
        fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.Applications.Add(ClientApplication.Create(
                organizationId, "App", clientId, SecretHashing.HashClientSecret("x"), [GrantTypes.Ciba], CibaSettings.Default, fixture.Time.GetUtcNow()));
            return await db.SaveChangesAsync();
        });

    private Task<IdentityResult> CreateUserAsync(Guid organizationId, string userName, string email) =>
        fixture.InScopeAsync(
            sp => sp.GetRequiredService<UserManager<CibaUser>>().CreateAsync(
                new CibaUser { OrganizationId = organizationId, UserName = userName, Email = email }, "Correct-Horse-9"),
            organizationId);
}
