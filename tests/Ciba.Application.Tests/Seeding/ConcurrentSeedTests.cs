using Ciba.Infrastructure;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Seeding;
using Ciba.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Application.Tests.Seeding;

/// <summary>Issue 10 item 7: two nodes starting together on an empty database both seed the demo data without a clash.</summary>
public sealed class ConcurrentSeedTests
{
    [Fact]
    public async Task Seed_TwoNodesAtOnceOnAFreshDatabase_BothSucceedWithOneOrganization()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("seed");
        try
        {
            await using var first = Node(connectionString);
            await using var second = Node(connectionString);
            await using (var scope = first.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<CibaDbContext>().Database.MigrateAsync();
            }

            for (var round = 0; round < 3; round++)
            {
                await Task.WhenAll(SeedAsync(first), SeedAsync(second));
            }

            await using var check = first.CreateAsyncScope();
            var db = check.ServiceProvider.GetRequiredService<CibaDbContext>();
            Assert.Equal(1, await db.Organizations.CountAsync(o => o.Handle == DemoData.OrganizationHandle));
            Assert.Equal(DemoData.Applications.Count, await db.Applications.CountAsync());
            Assert.Equal(DemoData.Users.Count, await db.Users.CountAsync());
            Assert.Equal(1, await db.NotificationProviders.CountAsync());
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task SeedAsync(ServiceProvider node)
    {
        await using var scope = node.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(CancellationToken.None);
    }

    private static ServiceProvider Node(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Ciba"] = connectionString,
                ["Ciba:PublicOrigin"] = "https://ciba.test",
                ["Ciba:DataProtection:CertificatePath"] = TestCertificates.DataProtectionPfx,
                ["Ciba:DataProtection:CertificatePassword"] = TestCertificates.Password,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddApplication().AddInfrastructure(configuration);
        services.AddSingleton(TimeProvider.System);
        return services.BuildServiceProvider();
    }
}
