using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ciba.Web.Tests.Outbox;

/// <summary>
/// A PostgreSQL cluster of a fault test's own (never the suite's shared server), so it can be
/// restarted or stopped without any other test seeing the outage. Started from the machine's
/// PostgreSQL binaries, as scripts/postgres.sh does; as root the cluster runs as 'postgres'.
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

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=40;Timeout=5";

    public static async Task<PrivatePostgresCluster> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal)
            .Select(d => Path.Combine(d, "bin")).First(d => File.Exists(Path.Combine(d, "initdb")));
        var dataDir = Directory.CreateTempSubdirectory("ciba-fault-pg-").FullName;
        var cluster = new PrivatePostgresCluster(bin, dataDir, FreePort());
        if (cluster._asRoot)
        {
            Run("chmod", $"755 {dataDir}");
            Run("chown", $"-R postgres: {dataDir}");
        }

        cluster.RunAsOwner("initdb", $"-D {dataDir} -U postgres --auth=trust --encoding=UTF8 --locale=C");
        cluster.Start();
        await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE ciba", connection);
        await create.ExecuteNonQueryAsync();
        return cluster;
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
