using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ciba.Testing;

/// <summary>
/// The settings every test host of the web app shares: the Testing environment, its own database,
/// the public origin, the demo organization seeded, the key ring encrypted with a test certificate, demo administrators allowed to create
/// organizations, and (optionally) a clock the test controls.
/// </summary>
public static class CibaTestHost
{
    /// <summary>Provider fakes run on 127.0.0.1: the operator's explicit allowances that let tests reach them.</summary>
    public static readonly IReadOnlyDictionary<string, string> OutboundTestSettings = new Dictionary<string, string>
    {
        ["Ciba:Notifications:AllowCustomProviderBaseUrls"] = "true",
        ["Ciba:Outbound:AllowedAddresses:0"] = "127.0.0.1",
    };

    /// <summary>Every test shares one address: the per-address rate limits are set out of reach (a test of its own checks them).</summary>
    public static readonly IReadOnlyDictionary<string, string> ProtectionTestSettings = new Dictionary<string, string>
    {
        ["Ciba:RateLimits:PerAddressPermitLimit"] = "1000000",
    };

    public static IWebHostBuilder UseCibaTestSettings(
        this IWebHostBuilder builder, string connectionString, string publicOrigin, TimeProvider? time = null, bool dispatcherEnabled = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Ciba", connectionString);
        builder.UseSetting("Ciba:PublicOrigin", publicOrigin);
        builder.UseSetting("Ciba:SeedDemoData", "true");
        builder.UseSetting("Ciba:Seed:RelaxedLimits", "true");
        foreach (var (key, value) in ProtectionTestSettings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Ciba:DataProtection:CertificatePath", TestCertificates.DataProtectionPfx);
        builder.UseSetting("Ciba:DataProtection:CertificatePassword", TestCertificates.Password);
        builder.UseSetting("Ciba:SystemAdministrators:0", "demo/*");
        builder.UseSetting("Ciba:Notifications:DispatcherEnabled", dispatcherEnabled ? "true" : "false");
        foreach (var (key, value) in OutboundTestSettings)
        {
            builder.UseSetting(key, value);
        }
        if (time is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(time)));
        }

        return builder;
    }
}
