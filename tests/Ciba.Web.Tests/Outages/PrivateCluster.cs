using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ciba.Web.Tests.Outages;

/// <summary>
/// A PostgreSQL cluster of the test's own, which it may stop and start again on the same port: an
/// outage that the rest of the suite, on its shared server, never sees.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dataDir;
    private readonly int _port;
    private readonly bool _asRoot = Environment.UserName == "root";

    private PrivateCluster(string bin, string dataDir, int port)
    {
        _bin = bin;
        _dataDir = dataDir;
        _port = port;
    }

    /// <summary>A superuser connection string to the cluster's <c>ciba</c> database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=ciba;Timeout=3;Pooling=true;Maximum Pool Size=20";

    public static async Task<PrivateCluster> StartAsync()
    {
        var bin = FindBinDirectory();
        var dataDir = Directory.CreateTempSubdirectory("ciba-outage-pg-").FullName;
        var cluster = new PrivateCluster(bin, dataDir, FreePort());
        if (cluster._asRoot)
        {
            await RunAsync("chmod", $"755 {dataDir}");
            await RunAsync("chown", $"-R postgres: {dataDir}");
        }

        await cluster.RunAsOwnerAsync("initdb", $"-D {dataDir} -U postgres --auth=trust --encoding=UTF8 --locale=C");
        await cluster.StartAgainAsync();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster._port};Username=postgres;Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE ciba", connection);
        await create.ExecuteNonQueryAsync();
        return cluster;
    }

    /// <summary>Stops the server as an operator's restart does (<c>pg_ctl -m fast</c>: sessions get 57P01).</summary>
    public Task StopAsync() => RunAsOwnerAsync("pg_ctl", $"-D {_dataDir} -m fast -w stop");

    public Task StartAgainAsync() => RunAsOwnerAsync(
        "pg_ctl",
        $"-D {_dataDir} -w -t 60 -l {_dataDir}/server.log -o \"-p {_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_dataDir} -c fsync=off\" start");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsOwnerAsync("pg_ctl", $"-D {_dataDir} -m immediate stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    private Task RunAsOwnerAsync(string program, string arguments)
    {
        var file = Path.Combine(_bin, program);
        return _asRoot ? RunAsync("runuser", $"-u postgres -- {file} {arguments}") : RunAsync(file, arguments);
    }

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not start {file}.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed: {await error}{await output}");
        }
    }

    private static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
            : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("No PostgreSQL binaries found under /usr/lib/postgresql.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
