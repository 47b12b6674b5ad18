using Ciba.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Ciba.Web.Tests;

/// <summary>
/// The whole web app in memory over a fresh PostgreSQL database (one per test class), seeded with
/// the demo organization, with time under the test's control.
/// </summary>
public class CibaWebFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string PublicOrigin = "https://ciba.test";

    /// <summary>Clients call over https, as behind a TLS proxy: with an https public origin, plain http is redirected.</summary>
    public const string ClientBaseAddress = "https://localhost";

    public CibaWebFactory() => ClientOptions.BaseAddress = new Uri(ClientBaseAddress);

    public string ConnectionString { get; protected set; } = string.Empty;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Whether the hosted outbox dispatcher runs (it sends, and so clears, outbox content).</summary>
    protected virtual bool DispatcherEnabled => true;

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        _ = Server; // Starts the host: migrations and seeding run now.
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await DropDatabaseAsync();
    }

    /// <summary>The empty database the host runs on: by default a fresh one on the suite's shared server.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => PostgresServer.CreateDatabaseAsync("web");

    protected virtual Task DropDatabaseAsync() => PostgresServer.DropDatabaseAsync(ConnectionString);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseCibaTestSettings(ConnectionString, PublicOrigin, Time, DispatcherEnabled);
    }
}

/// <summary>The web app with the outbox dispatcher stopped, for tests that read outbox rows as written.</summary>
public sealed class CibaWebFactoryWithoutDispatcher : CibaWebFactory
{
    protected override bool DispatcherEnabled => false;
}
