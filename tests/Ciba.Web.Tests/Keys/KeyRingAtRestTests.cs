using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Keys;
using Ciba.Infrastructure.Persistence;
using Ciba.Testing;
using Ciba.Web.Tests.Console;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ciba.Web.Tests.Keys;

/// <summary>
/// Issue 9 item 2: the Data Protection key ring is encrypted at rest with a configured certificate,
/// so a dump of the database alone reveals neither a signing key nor a provider secret.
/// </summary>
public sealed class KeyRingAtRestTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    private const string ProviderSecret = "SG.dump-test-secret-5c1e9a";

    [Fact]
    public async Task DatabaseDump_RevealsNoPrivateKeyAndNoProviderSecret()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        using (var saved = await admin.PostFormAsync("/t/demo/console/providers/email", SendGrid(ProviderSecret), "/t/demo/console/providers"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using var client = factory.CreateClient();
        using (var jwks = await client.GetAsync(new Uri("/t/demo/oauth2/jwks", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        }

        var privateKeys = await SigningPrivateKeysAsync();
        Assert.NotEmpty(privateKeys);
        var dump = await DumpAsync(factory.ConnectionString);

        var keyRing = dump.Where(r => r.Table == "DataProtectionKeys").ToList();
        Assert.NotEmpty(keyRing);
        Assert.All(keyRing, row =>
        {
            Assert.Contains("encryptedSecret", row.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", row.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", row.Text, StringComparison.Ordinal);
        });
        Assert.Contains(dump, r => r.Table == "SigningKeys");
        var forbidden = new List<string> { ProviderSecret, "-----BEGIN", "PRIVATE KEY", "<privateKey", "<masterKey" };
        Assert.Contains(privateKeys, key => key.P is null);
        foreach (var key in privateKeys)
        {
            forbidden.Add(Convert.ToBase64String(key.D));
            forbidden.Add(Convert.ToHexString(key.D));
            forbidden.Add(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(key.D));
            if (key.P is not null)
            {
                forbidden.Add(Convert.ToBase64String(key.P));
            }
        }

        foreach (var row in dump)
        {
            foreach (var secret in forbidden)
            {
                Assert.False(row.Text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{row.Table} holds {(secret.Length > 16 ? "key material" : secret)}");
            }
        }
    }

    [Fact]
    public async Task DatabaseAlone_WithoutTheCertificate_CannotUnprotectSigningKeysOrProviderSecrets()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        using (var saved = await admin.PostFormAsync("/t/demo/console/providers/email", SendGrid(ProviderSecret), "/t/demo/console/providers"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using var client = factory.CreateClient();
        (await client.GetAsync(new Uri("/t/demo/oauth2/jwks", UriKind.Relative))).Dispose();
        var storedKey = await factory.ReadAsync(db => db.SigningKeys.AsNoTracking().Select(k => k.ProtectedPrivateKey).FirstAsync());
        var storedSecret = await factory.ReadAsync(async db =>
        {
            var demo = await db.Organizations.AsNoTracking().SingleAsync(o => o.Handle == "demo");
            return (await db.NotificationProviders.AsNoTracking().SingleAsync(p => p.OrganizationId == demo.Id)).SendGridProtectedApiKey!;
        });

        // An attacker with the dump: the same application name and key table, but no certificate.
        var attacker = new ServiceCollection();
        attacker.AddLogging();
        attacker.AddDbContext<CibaDbContext>(o => o.UseNpgsql(factory.ConnectionString));
        attacker.AddDataProtection().SetApplicationName("Ciba").PersistKeysToDbContext<CibaDbContext>().DisableAutomaticKeyGeneration();
        await using var provider = attacker.BuildServiceProvider();
        var dataProtection = provider.GetRequiredService<IDataProtectionProvider>();

        Assert.ThrowsAny<CryptographicException>(() => dataProtection.CreateProtector("Ciba.SigningKeys.v1").Unprotect(Convert.FromBase64String(storedKey)));
        Assert.ThrowsAny<CryptographicException>(() => dataProtection.CreateProtector("Ciba.Notifications.ProviderSecrets.v1").Unprotect(storedSecret));
    }

    [Fact]
    public async Task OutsideDevelopment_WithoutCertificate_RefusesToStartNamingTheSetting()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("nocert");
        try
        {
            await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                builder.UseCibaTestSettings(connectionString, CibaWebFactory.PublicOrigin);
                builder.UseSetting("Ciba:DataProtection:CertificatePath", string.Empty);
            });

            var failure = Record.Exception(() => host.Server);

            Assert.NotNull(failure);
            Assert.Contains("Ciba:DataProtection:CertificatePath", Flatten(failure), StringComparison.Ordinal);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public void PemCertificate_WithItsKeyInTheSameFile_EncryptsAndDecryptsTheKeyRing()
    {
        using var certificate = TestCertificates.Create("CN=Ciba PEM test");
        using var rsa = certificate.GetRSAPrivateKey()!;
        var directory = Directory.CreateTempSubdirectory("ciba-pem-");
        var path = Path.Combine(directory.FullName, "key-ring.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem());
        var options = new DataProtectionKeyOptions { CertificatePath = path };

        using var loaded = KeyEncryptionCertificate.Load(options);
        var services = new ServiceCollection().AddLogging()
            .AddSingleton(Options.Create(options))
            .AddSingleton<KeyRingEncryption.KeyEncryptionCertificateHolder>()
            .BuildServiceProvider();
        var secret = new XElement("masterKey", new XElement("value", "c2VjcmV0LWtleS1tYXRlcmlhbA=="));

        var encrypted = new CertificateKeyRingEncryptor(loaded, NullLoggerFactory.Instance).Encrypt(secret);
        var decrypted = new CertificateKeyRingDecryptor(services).Decrypt(encrypted.EncryptedElement);

        Assert.True(loaded.HasPrivateKey);
        Assert.DoesNotContain("c2VjcmV0LWtleS1tYXRlcmlhbA", encrypted.EncryptedElement.ToString(), StringComparison.Ordinal);
        Assert.Equal(secret.ToString(), decrypted.ToString());
        directory.Delete(recursive: true);
    }

    [Fact]
    public void Certificate_WithoutPrivateKey_IsRefusedNamingTheSetting()
    {
        using var certificate = TestCertificates.Create("CN=Ciba public only");
        var directory = Directory.CreateTempSubdirectory("ciba-cer-");
        var path = Path.Combine(directory.FullName, "public.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());

        var failure = Assert.ThrowsAny<Exception>(() => KeyEncryptionCertificate.Load(new DataProtectionKeyOptions { CertificatePath = path }));

        Assert.Contains("Ciba:DataProtection:CertificatePath", failure.Message, StringComparison.Ordinal);
        directory.Delete(recursive: true);
    }

    private static string Flatten(Exception exception)
    {
        var text = new System.Text.StringBuilder();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    text.AppendLine(Flatten(inner));
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The private values of every signing key (RSA: D and P; EC P-256: D), unprotected here to search the dump for them.</summary>
    private async Task<List<(byte[] D, byte[]? P)>> SigningPrivateKeysAsync()
    {
        var stored = await factory.ReadAsync(db => db.SigningKeys.AsNoTracking().Select(k => new { k.Algorithm, k.ProtectedPrivateKey }).ToListAsync());
        var protector = factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Ciba.SigningKeys.v1");
        return stored.Select(k =>
        {
            var pkcs8 = protector.Unprotect(Convert.FromBase64String(k.ProtectedPrivateKey));
            if (k.Algorithm == "ES256")
            {
                using var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(pkcs8, out _);
                return (ec.ExportParameters(includePrivateParameters: true).D!, (byte[]?)null);
            }

            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            var parameters = rsa.ExportParameters(includePrivateParameters: true);
            return (parameters.D!, parameters.P);
        }).ToList();
    }

    /// <summary>Every row of every table, as text, as <c>pg_dump</c> would show it.</summary>
    private static async Task<List<(string Table, string Text)>> DumpAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new List<(string, string)>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((table, reader.GetString(0)));
            }
        }

        return rows;
    }

    private static KeyValuePair<string, string>[] SendGrid(string apiKey) =>
    [
        new("Email.Provider", nameof(EmailProviderKind.SendGrid)),
        new("Email.ApiKey", apiKey),
        new("Email.FromAddress", "no-reply@demo.test"),
        new("Email.FromName", "Demo sign-in"),
        new("Email.BaseUrl", ""),
    ];
}
