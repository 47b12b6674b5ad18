using Ciba.Infrastructure;
using Ciba.Infrastructure.Notifications.Senders;
using Ciba.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Application.Tests.Notifications;

/// <summary>The real provider adapters from the infrastructure's registrations, with a short provider timeout and no database.</summary>
public sealed class ProviderAdapters : IDisposable
{
    // Generous: on a busy 2-core CI machine the first call (JIT, connection set-up) can take over a second.
    public static readonly TimeSpan ProviderTimeout = TimeSpan.FromSeconds(4);

    private readonly ServiceProvider _services;

    public ProviderAdapters()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ciba:PublicOrigin"] = "https://ciba.test",
                ["Ciba:Notifications:ProviderTimeout"] = ProviderTimeout.ToString(),
                ["Ciba:Notifications:DispatcherEnabled"] = "false",
                ["Ciba:DataProtection:CertificatePath"] = Ciba.Testing.TestCertificates.DataProtectionPfx,
                ["Ciba:DataProtection:CertificatePassword"] = Ciba.Testing.TestCertificates.Password,
            })
            .AddInMemoryCollection(CibaTestHost.OutboundTestSettings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddInfrastructure(configuration);
        _services = services.BuildServiceProvider();
    }

    public SendGridEmailSender SendGrid => _services.GetRequiredService<SendGridEmailSender>();

    public VonageSmsSender Vonage => _services.GetRequiredService<VonageSmsSender>();

    public void Dispose() => _services.Dispose();
}
