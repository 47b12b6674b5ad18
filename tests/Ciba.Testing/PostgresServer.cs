using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ciba.Testing;

/// <summary>
/// The PostgreSQL server the tests use: the one named by <c>CIBA_TEST_POSTGRES</c> (test.sh starts
/// it), or, when a test runs from an IDE without it, a throwaway cluster started here from the
/// machine's PostgreSQL binaries and stopped when the test process exits.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "CIBA_TEST_POSTGRES";

    private static readonly Lazy<string> AdminConnection = new(ResolveAdminConnectionString, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A superuser connection string to the <c>postgres</c> database.</summary>
    public static string AdminConnectionString => AdminConnection.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"ciba_{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 38)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 50 }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string ResolveAdminConnectionString()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(given) ? StartThrowawayCluster() : given;
    }

    private static string StartThrowawayCluster()
    {
        var bin = FindBinDirectory();
        var dataDir = Directory.CreateTempSubdirectory("ciba-ide-pg-").FullName;
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Run("chmod", $"755 {dataDir}");
            Run("chown", $"-R postgres: {dataDir}");
        }

        RunAsOwner(asRoot, Path.Combine(bin, "initdb"), $"-D {dataDir} -U postgres --auth=trust --encoding=UTF8 --locale=C");
        RunAsOwner(asRoot, Path.Combine(bin, "pg_ctl"),
            $"-D {dataDir} -w -l {dataDir}/server.log -o \"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dataDir} -c fsync=off -c max_connections=300\" start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunAsOwner(asRoot, Path.Combine(bin, "pg_ctl"), $"-D {dataDir} -m immediate stop");
            Directory.Delete(dataDir, recursive: true);
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    private static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
            : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException($"No PostgreSQL binaries found. Run ./test.sh, or set {EnvironmentVariable}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void RunAsOwner(bool asRoot, string file, string arguments)
    {
        if (asRoot)
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
}
