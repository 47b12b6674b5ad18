using Ciba.Testing;
using Ciba.Web.Tests.Hosting;

namespace Ciba.Web.Tests.Keys;

/// <summary>Issue 9 item 2, as an operator meets it: the built app in Production refuses to start without the key-ring certificate.</summary>
public sealed class ProductionKeyRingCertificateTests : IAsyncLifetime
{
    private string _connectionString = string.Empty;

    public async Task InitializeAsync() => _connectionString = await PostgresServer.CreateDatabaseAsync("prodcert");

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task Production_WithoutTheCertificate_ExitsWithAMessageNamingTheSetting()
    {
        var url = $"http://127.0.0.1:{CibaProcess.FreePort()}";

        await using var run = await CibaProcess.RunAsync(["--urls", url, "--contentRoot", CibaProcess.WebProjectDirectory], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Ciba"] = _connectionString,
            ["Ciba__PublicOrigin"] = "https://id.acme.example",
        });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Ciba:DataProtection:CertificatePath", run.Output + run.Errors, StringComparison.Ordinal);
    }
}
