using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ciba.Infrastructure.Keys;

/// <summary>
/// XML encryption of each Data Protection key with the certificate (XML Encryption, as
/// <see cref="CertificateXmlEncryptor"/>), naming <see cref="CertificateKeyRingDecryptor"/> to read it back.
/// </summary>
public sealed class CertificateKeyRingEncryptor(X509Certificate2 certificate, ILoggerFactory loggers) : IXmlEncryptor
{
    private readonly CertificateXmlEncryptor _inner = new(certificate, loggers);

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(_inner.Encrypt(plaintextElement).EncryptedElement, typeof(CertificateKeyRingDecryptor));
}

/// <summary>
/// Decrypts a key encrypted by <see cref="CertificateKeyRingEncryptor"/> with the configured
/// certificate's private key (not with an X.509 store, which Linux hosts do not have).
/// </summary>
public sealed class CertificateKeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var certificate = services.GetRequiredService<KeyRingEncryption.KeyEncryptionCertificateHolder>().Certificate
            ?? throw new CryptographicException($"The key ring is encrypted, but no certificate is configured ({DataProtectionKeyOptions.CertificatePathSetting}).");
        var document = new XmlDocument { XmlResolver = null };
        using (var reader = new XElement("root", encryptedElement).CreateReader())
        {
            document.Load(reader);
        }

        new CertificateEncryptedXml(document, certificate).DecryptDocument();
        return XElement.Load(document.DocumentElement!.FirstChild!.CreateNavigator()!.ReadSubtree());
    }

    private sealed class CertificateEncryptedXml(XmlDocument document, X509Certificate2 certificate) : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            ArgumentNullException.ThrowIfNull(encryptedKey);
            using var rsa = certificate.GetRSAPrivateKey() ?? throw new CryptographicException("The key-encryption certificate has no RSA private key.");
            var oaep = encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl;
            return DecryptKey(encryptedKey.CipherData.CipherValue!, rsa, oaep);
        }
    }
}
