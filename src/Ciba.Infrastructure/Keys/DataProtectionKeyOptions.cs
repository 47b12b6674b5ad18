namespace Ciba.Infrastructure.Keys;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest (<c>Ciba:DataProtection</c>).
/// Required outside Development.
/// </summary>
public sealed class DataProtectionKeyOptions
{
    public const string SectionName = "Ciba:DataProtection";
    public const string CertificatePathSetting = SectionName + ":CertificatePath";

    /// <summary>A PKCS#12 file (<c>.pfx</c>/<c>.p12</c>) or a PEM file holding the certificate (and its key, unless <see cref="CertificateKeyPath"/> is set).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>For a PEM certificate whose private key is in another file.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The PKCS#12 password, or the password of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }
}
