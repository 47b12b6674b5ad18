using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Keys;

/// <summary>
/// Encrypts the Data Protection key ring with the configured certificate (ADR 0014). Outside
/// Development a missing certificate stops the service at start and stops any use of the key ring.
/// </summary>
public static partial class KeyRingEncryption
{
    public static IServiceCollection AddKeyRingEncryption(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<DataProtectionKeyOptions>()
            .Bind(configuration.GetSection(DataProtectionKeyOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DataProtectionKeyOptions>, DataProtectionKeyOptionsValidator>();
        services.AddSingleton<KeyEncryptionCertificateHolder>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, ConfigureKeyEncryption>();
        return services;
    }

    /// <summary>Requires the certificate outside Development (a host without an environment counts as outside) and checks that it loads.</summary>
    internal sealed class DataProtectionKeyOptionsValidator(IServiceProvider services) : IValidateOptions<DataProtectionKeyOptions>
    {
        public ValidateOptionsResult Validate(string? name, DataProtectionKeyOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.CertificatePath))
            {
                return services.GetService<IHostEnvironment>()?.IsDevelopment() == true
                    ? ValidateOptionsResult.Success
                    : ValidateOptionsResult.Fail(
                        $"{DataProtectionKeyOptions.CertificatePathSetting} is required outside Development: the Data Protection key ring (which protects the signing keys and provider secrets) is encrypted at rest with this certificate (PFX or PEM; password in Ciba:DataProtection:CertificatePassword). Environment variable: Ciba__DataProtection__CertificatePath.");
            }

            try
            {
                using var certificate = KeyEncryptionCertificate.Load(options);
                return ValidateOptionsResult.Success;
            }
            catch (InvalidOperationException exception)
            {
                return ValidateOptionsResult.Fail(exception.Message);
            }
        }
    }

    /// <summary>The certificate, loaded once; null in Development without one.</summary>
    public sealed partial class KeyEncryptionCertificateHolder(IOptions<DataProtectionKeyOptions> options, ILogger<KeyEncryptionCertificateHolder> logger) : IDisposable
    {
        private readonly Lazy<X509Certificate2?> _certificate = new(() =>
        {
            var settings = options.Value; // Throws OptionsValidationException outside Development without a certificate.
            if (string.IsNullOrWhiteSpace(settings.CertificatePath))
            {
                LogUnencrypted(logger);
                return null;
            }

            return KeyEncryptionCertificate.Load(settings);
        });

        public X509Certificate2? Certificate => _certificate.Value;

        public void Dispose()
        {
            if (_certificate.IsValueCreated)
            {
                _certificate.Value?.Dispose();
            }
        }

        [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "No key-encryption certificate (Ciba:DataProtection:CertificatePath): the Data Protection key ring is stored unencrypted. Development only.")]
        private static partial void LogUnencrypted(ILogger logger);
    }

    internal sealed class ConfigureKeyEncryption(KeyEncryptionCertificateHolder holder, ILoggerFactory loggers) : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions options)
        {
            if (holder.Certificate is { } certificate)
            {
                options.XmlEncryptor = new CertificateKeyRingEncryptor(certificate, loggers);
            }
        }
    }
}
