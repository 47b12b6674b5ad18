using System.Net;
using System.Net.Sockets;
using Ciba.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ciba.Web.Tests.Interop;

/// <summary>
/// The app on a real Kestrel server at a free 127.0.0.1 port, over a fresh database, with the
/// public origin set to that address and the real clock (an outside client polls in real time).
/// </summary>
public sealed class InteropServerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public InteropServerFactory()
    {
        Port = FreePort();
        UseKestrel(Port);
    }

    public int Port { get; }

    public string PublicOrigin => $"http://127.0.0.1:{Port}";

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("interop");
        StartServer();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseCibaTestSettings(ConnectionString, PublicOrigin);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
