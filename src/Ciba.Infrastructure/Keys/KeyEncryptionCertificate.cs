using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ciba.Infrastructure.Keys;

/// <summary>Loads the key-encryption certificate from a PKCS#12 or PEM file; it must carry an RSA private key.</summary>
public static class KeyEncryptionCertificate
{
    public static X509Certificate2 Load(DataProtectionKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath ?? throw new InvalidOperationException($"{DataProtectionKeyOptions.CertificatePathSetting} is not set.");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{DataProtectionKeyOptions.CertificatePathSetting}: the file '{path}' does not exist.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = IsPem(path)
                ? LoadPem(path, options.CertificateKeyPath, options.CertificatePassword)
                : X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidOperationException($"{DataProtectionKeyOptions.CertificatePathSetting}: '{path}' could not be read as a PFX or PEM certificate with its private key (is the password setting right?).", exception);
        }

        using var key = certificate.GetRSAPrivateKey();
        if (key is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{DataProtectionKeyOptions.CertificatePathSetting}: '{path}' has no RSA private key.");
        }

        return certificate;
    }

    private static bool IsPem(string path)
    {
        Span<byte> start = stackalloc byte[64];
        using var file = File.OpenRead(path);
        var read = file.Read(start);
        return System.Text.Encoding.ASCII.GetString(start[..read]).Contains("-----BEGIN", StringComparison.Ordinal);
    }

    private static X509Certificate2 LoadPem(string path, string? keyPath, string? password) =>
        string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
}
