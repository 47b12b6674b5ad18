using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciba.Testing;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Ciba.Web.Tests.Hosting;

/// <summary>
/// product.md §15, first run: from an empty PostgreSQL database, in Production (no demo seed), the
/// operator's bootstrap command creates the first organization and its administrator, who can then
/// sign in to the console of the built app run as a process.
/// </summary>
public sealed partial class ProductionFirstRunTests : IAsyncLifetime
{
    private string _connectionString = string.Empty;

    public async Task InitializeAsync() => _connectionString = await PostgresServer.CreateDatabaseAsync("firstrun");

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task Bootstrap_OnAnEmptyDatabase_CreatesTheAdministrator_WhoSignsInToTheConsole_AndRerunsChangeNothing()
    {
        var port = CibaProcess.FreePort();
        var origin = $"http://127.0.0.1:{port}";
        var environment = Environment(origin);
        string[] bootstrap = ["bootstrap", "--org", "acme", "--org-name", "Acme Corp", "--admin-user", "root", "--admin-email", "root@acme.example"];

        var first = await CibaProcess.RunAsync(bootstrap, environment);

        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        var password = OneTimePassword().Match(first.Output).Groups[1].Value;
        Assert.Matches("^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}$", password);
        Assert.Contains($"{origin}/t/acme/console", first.Output, StringComparison.Ordinal);

        var again = await CibaProcess.RunAsync(bootstrap, environment);
        Assert.True(again.ExitCode == 0, again.Output + again.Errors);
        Assert.Contains("already in place; nothing was changed", again.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(OneTimePassword(), again.Output);

        var other = await CibaProcess.RunAsync(["bootstrap", "--org", "acme", "--admin-user", "intruder", "--admin-email", "intruder@evil.example"], environment);
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("already exists", other.Errors, StringComparison.Ordinal);

        await using var server = CibaProcess.Start(["--urls", origin, "--contentRoot", CibaProcess.WebProjectDirectory], environment);
        await server.WaitUntilReadyAsync(origin);
        await AssertSignsInToConsoleAsync(origin, "root", password);
        using (var client = new HttpClient())
        using (var demo = await client.GetAsync($"{origin}/t/demo/login"))
        {
            Assert.Equal(HttpStatusCode.NotFound, demo.StatusCode);
        }

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM \"Organizations\""));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM \"AspNetUsers\""));
        await server.DisposeAsync();
        AssertJsonLogsWithoutSecrets(server.Output, password);
        Assert.DoesNotContain(password, first.Errors + again.Output + again.Errors + other.Output + other.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_WithThePasswordInTheEnvironment_UsesIt_AndNeverPrintsIt()
    {
        const string password = "Env-Given-Passw0rd!";
        var environment = Environment("https://id.acme.example");
        environment["CIBA_BOOTSTRAP_ADMIN_PASSWORD"] = password;

        var run = await CibaProcess.RunAsync(["bootstrap", "--org", "acme", "--admin-user", "root", "--admin-email", "root@acme.example"], environment);

        Assert.True(run.ExitCode == 0, run.Output + run.Errors);
        Assert.DoesNotContain(password, run.Output + run.Errors, StringComparison.Ordinal);
        Assert.Contains("https://id.acme.example/t/acme/console", run.Output, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"PasswordHash\" FROM \"AspNetUsers\" WHERE \"UserName\" = 'root'", connection);
        var hash = (string)(await command.ExecuteScalarAsync())!;
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<object>().VerifyHashedPassword(new object(), hash, password));
    }

    [Theory]
    [InlineData("--org", "Not A Handle")]
    [InlineData("--admin-user", "bad\u0001user")]
    [InlineData("--admin-email", "not-an-email")]
    [InlineData("--org-name", "")]
    public async Task Bootstrap_WithABadValue_ExitsTwo_AndCreatesNothing(string option, string value)
    {
        var values = new Dictionary<string, string>
        {
            ["--org"] = "acme",
            ["--org-name"] = "Acme",
            ["--admin-user"] = "root",
            ["--admin-email"] = "root@acme.example",
            [option] = value,
        };

        var run = await CibaProcess.RunAsync(["bootstrap", .. values.SelectMany(v => new[] { v.Key, v.Value })], Environment("https://id.acme.example"));

        Assert.True(run.ExitCode == 2, run.Output + run.Errors);
        Assert.Contains(option, run.Errors, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"Organizations\""));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"AspNetUsers\""));
    }

    [Theory]
    [InlineData("bootstrap")]
    [InlineData("bootstrap", "--org", "acme", "--admin-user", "root")]
    [InlineData("bootstrap", "--org", "acme", "--admin-user", "root", "--admin-email", "root@acme.example", "--admin-password", "x")]
    [InlineData("bootstrap", "--org", "acme", "--org", "acme2", "--admin-user", "root", "--admin-email", "root@acme.example")]
    [InlineData("migrate", "now")]
    public async Task OperatorCommand_WithBadArguments_ExitsTwo_WithUsage(params string[] arguments)
    {
        var run = await CibaProcess.RunAsync(arguments, Environment("https://id.acme.example"));

        Assert.True(run.ExitCode == 2, run.Output + run.Errors);
        Assert.Contains("Usage:", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_OnAnEmptyDatabase_CreatesTheSchema()
    {
        var run = await CibaProcess.RunAsync(["migrate"], Environment("https://id.acme.example"));

        Assert.True(run.ExitCode == 0, run.Output + run.Errors);
        Assert.True(await TableExistsAsync("Organizations"));
        Assert.True(await TableExistsAsync("AspNetUsers"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"Organizations\""));
    }

    private Dictionary<string, string?> Environment(string origin) => new()
    {
        ["ConnectionStrings__Ciba"] = _connectionString,
        ["Ciba__PublicOrigin"] = origin,
        ["Logging__Console__FormatterName"] = "json",
        ["Ciba__DataProtection__CertificatePath"] = TestCertificates.DataProtectionPfx,
        ["Ciba__DataProtection__CertificatePassword"] = TestCertificates.Password,
    };

    private static async Task AssertSignsInToConsoleAsync(string origin, string userName, string password)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(origin) };
        var page = await client.GetStringAsync("/t/acme/login");
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        using var signIn = await client.PostAsync("/t/acme/login", form);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var console = await client.GetAsync("/t/acme/console/applications");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Contains("Acme Corp", await console.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void AssertJsonLogsWithoutSecrets(string output, string password)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(json.RootElement.TryGetProperty("Category", out _), line);
        }

        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
    }

    private async Task<bool> TableExistsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT to_regclass('public.\"{table}\"') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The count, or 0 when the schema is not there yet (a refused command may stop before migrating).</summary>
    private async Task<long> CountAsync(string sql)
    {
        if (!await TableExistsAsync("Organizations"))
        {
            return 0;
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex("One-time password for 'root' \\(shown only now; set your own under Users after signing in\\): (\\S+)")]
    private static partial Regex OneTimePassword();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
