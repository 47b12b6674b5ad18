using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ciba.Testing;

/// <summary>A self-signed key-encryption certificate for the Data Protection key ring, made once per test run.</summary>
public static class TestCertificates
{
    public const string Password = "test-key-ring-password";

    private static readonly Lazy<string> PfxPath = new(() => Write(Create("CN=Ciba test key ring")));

    /// <summary>A PFX file (password <see cref="Password"/>) that every test host of this process shares.</summary>
    public static string DataProtectionPfx => PfxPath.Value;

    public static X509Certificate2 Create(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    private static string Write(X509Certificate2 certificate)
    {
        using (certificate)
        {
            var directory = Directory.CreateTempSubdirectory("ciba-test-cert-");
            var path = Path.Combine(directory.FullName, "key-ring.pfx");
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
            return path;
        }
    }
}
