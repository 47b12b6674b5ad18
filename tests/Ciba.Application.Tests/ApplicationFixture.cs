using Ciba.Application;
using Ciba.Application.Common.Interfaces;
using Ciba.Infrastructure;
using Ciba.Infrastructure.Persistence;
using Ciba.Testing;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Respawn;

namespace Ciba.Application.Tests;

/// <summary>
/// The application and infrastructure layers in a real DI container over a fresh PostgreSQL
/// database (one per test class), with time under the test's control.
/// </summary>
public sealed class ApplicationFixture : IAsyncLifetime
{
    private Respawner? _respawner;

    public string ConnectionString { get; private set; } = string.Empty;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    public ServiceProvider Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("app");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Ciba"] = ConnectionString,
                ["Ciba:PublicOrigin"] = "https://ciba.test",
                ["Ciba:DataProtection:CertificatePath"] = TestCertificates.DataProtectionPfx,
                ["Ciba:DataProtection:CertificatePassword"] = TestCertificates.Password,
            })
            .AddInMemoryCollection(CibaTestHost.OutboundTestSettings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new TestHostEnvironment());
        services.AddApplication().AddInfrastructure(configuration);
        services.AddSingleton<TimeProvider>(Time);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CibaDbContext>().Database.MigrateAsync();
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = ["__EFMigrationsHistory"],
        });
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }

    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
    }

    /// <summary>Sends a request through MediatR in a fresh scope acting for <paramref name="organizationId"/>.</summary>
    public async Task<TResponse> SendAsync<TResponse>(Guid organizationId, IRequest<TResponse> request)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IOrganizationContext>().Enter(organizationId, "test");
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    /// <summary>Runs <paramref name="work"/> in a fresh scope, optionally acting for an organization.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work, Guid? organizationId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        if (organizationId is { } id)
        {
            scope.ServiceProvider.GetRequiredService<IOrganizationContext>().Enter(id, "test");
        }

        return await work(scope.ServiceProvider);
    }
}
