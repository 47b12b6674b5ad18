using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ciba.Testing;

/// <summary>
/// A PostgreSQL cluster of a fault test's own (never the suite's shared server), so the test can
/// stop, restart or crash it without any other test seeing the outage. Started from the machine's
/// PostgreSQL binaries, as scripts/postgres.sh does; as root the cluster runs as 'postgres'. It holds
/// one empty database, <c>ciba</c>.
/// </summary>
public sealed class PrivatePostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dataDir;
    private readonly bool _asRoot = Environment.UserName == "root";

    private PrivatePostgresCluster(string bin, string dataDir, int port)
    {
        _bin = bin;
        _dataDir = dataDir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A superuser connection string; a short connect timeout so an outage is noticed quickly.</summary>
    public string ConnectionString(string database = "ciba", int maxPoolSize = 40, int timeoutSeconds = 5) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size={maxPoolSize};Timeout={timeoutSeconds}";

    public static async Task<PrivatePostgresCluster> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        var dataDir = Directory.CreateTempSubdirectory("ciba-fault-pg-").FullName;
        var cluster = new PrivatePostgresCluster(
            bin ?? throw new InvalidOperationException("No PostgreSQL binaries found under /usr/lib/postgresql."), dataDir, FreePort());
        if (cluster._asRoot)
        {
            Run("chmod", $"755 {dataDir}");
            Run("chown", $"-R postgres: {dataDir}");
        }

        cluster.RunAsOwner("initdb", $"-D {dataDir} -U postgres --auth=trust --encoding=UTF8 --locale=C");
        cluster.Start();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster.Port};Username=postgres;Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE ciba", connection);
        await create.ExecuteNonQueryAsync();
        return cluster;
    }

    /// <summary>Stops the server as an operator's restart does (<c>pg_ctl -m fast</c>: sessions get 57P01).</summary>
    public Task StopAsync()
    {
        RunAsOwner("pg_ctl", $"-D {_dataDir} -m fast -w stop");
        return Task.CompletedTask;
    }

    public Task StartAgainAsync()
    {
        Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops the server at once (open sessions are cut, as in a crash) and starts it again after <paramref name="down"/>.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        RunAsOwner("pg_ctl", $"-D {_dataDir} -m immediate -w stop");
        await Task.Delay(down);
        Start();
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            RunAsOwner("pg_ctl", $"-D {_dataDir} -m immediate -w stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_dataDir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private void Start() => RunAsOwner("pg_ctl",
        $"-D {_dataDir} -w -t 60 -l {_dataDir}/server.log -o \"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_dataDir} -c fsync=off -c max_connections=200\" start");

    private void RunAsOwner(string tool, string arguments)
    {
        var file = Path.Combine(_bin, tool);
        if (_asRoot)
        {
            Run("runuser", $"-u postgres -- {file} {arguments}");
        }
        else
        {
            Run(file, arguments);
        }
    }

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed: {output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
