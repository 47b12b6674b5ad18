using System.Collections.Concurrent;
using System.Net;
using Ciba.Application.Notifications;
using Ciba.Application.Notifications.Providers;
using Ciba.Application.Notifications.Providers.UpdateEmail;
using Ciba.Application.Notifications.Providers.UpdateSms;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure;
using Ciba.Infrastructure.Notifications;
using Ciba.Infrastructure.Notifications.Senders;
using Ciba.Infrastructure.Outbound;
using Ciba.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Ciba.Application.Tests.Notifications;

/// <summary>Issue 9 item 4 (SSRF through provider base URLs) and item 8 (the development inbox only in Development).</summary>
public sealed class OutboundSafetyTests : IAsyncLifetime
{
    private const string VonageAccepted = """{"message-count":"1","messages":[{"status":"0","message-id":"v-1"}]}""";

    private readonly RecordingHttpServer _fake = RecordingHttpServer.Start();
    private readonly StubResolver _resolver = new();

    public Task InitializeAsync()
    {
        _fake.DefaultResponse = new ScriptedResponse(200, VonageAccepted);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("169.254.10.10", "link-local")]
    [InlineData("100.64.0.1", "shared (CGNAT)")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("255.255.255.255", "reserved or broadcast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:10.0.0.1", "IPv4-mapped")]
    [InlineData("::ffff:8.8.8.8", "IPv4-mapped")]
    [InlineData("64:ff9b::a00:1", "IPv4-translated")]
    public void RefusedClass_NamesEveryUnsafeClass(string address, string expected) =>
        Assert.Equal(expected, OutboundAddressPolicy.RefusedClass(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    public void RefusedClass_LetsPublicAddressesThrough(string address) =>
        Assert.Null(OutboundAddressPolicy.RefusedClass(IPAddress.Parse(address)));

    [Theory]
    [InlineData("metadata.test", "169.254.169.254", "cloud metadata")]
    [InlineData("intranet.test", "10.0.0.7", "private")]
    [InlineData("v6.test", "fd00::7", "unique-local")]
    public async Task HostResolvingToUnsafeAddress_IsRefusedBeforeConnecting(string host, string address, string expectedClass)
    {
        _resolver.Names[host] = [IPAddress.Parse(address)];
        await using var services = Build(allowed: []);

        var outcome = await Vonage(services, $"http://{host}:{new Uri(_fake.BaseUrl).Port}");

        Assert.Equal(SendOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal($"Vonage: unsafe address ({expectedClass}); not contacted.", outcome.Error);
        Assert.Contains(host, _resolver.Asked);
    }

    [Fact]
    public async Task HostResolvingToLoopback_WithoutTheAllowance_NeverReachesTheService()
    {
        _resolver.Names["sneaky.test"] = [IPAddress.Loopback];
        await using var services = Build(allowed: []);

        var outcome = await Vonage(services, $"http://sneaky.test:{new Uri(_fake.BaseUrl).Port}");

        Assert.Equal("Vonage: unsafe address (loopback); not contacted.", outcome.Error);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task MixedAnswer_WithOnePrivateAddress_IsRefused()
    {
        _resolver.Names["mixed.test"] = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("192.168.0.10")];
        await using var services = Build(allowed: []);

        var outcome = await Vonage(services, "http://mixed.test");

        Assert.Equal("Vonage: unsafe address (private); not contacted.", outcome.Error);
    }

    [Fact]
    public async Task ExplicitAllowance_LetsLocalFakesBeReached_ThroughTheCheckedAddress()
    {
        _resolver.Names["fake.test"] = [IPAddress.Loopback];
        await using var services = Build(allowed: ["127.0.0.1"]);

        var byName = await Vonage(services, $"http://fake.test:{new Uri(_fake.BaseUrl).Port}");
        var byAddress = await Vonage(services, _fake.BaseUrl);

        // The fake (HttpListener bound to 127.0.0.1) answers 404 to a host name it was not bound to:
        // an HTTP answer came, so the connection went to the checked loopback address.
        Assert.Equal("Vonage: http 4xx (HTTP 404).", byName.Error);
        Assert.Equal(SendOutcomeKind.Sent, byAddress.Kind);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task Redirects_AreNotFollowed()
    {
        await using var target = RecordingHttpServer.Start();
        _fake.Enqueue(302, string.Empty, headers: new Dictionary<string, string> { ["Location"] = target.BaseUrl + "/sms/json" });
        await using var services = Build(allowed: ["127.0.0.1"]);

        var outcome = await Vonage(services, _fake.BaseUrl);

        Assert.Equal(SendOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal("Vonage: redirect, not followed (HTTP 302).", outcome.Error);
        Assert.Empty(target.Requests);
    }

    [Fact]
    public void CustomBaseUrls_AreIgnoredAndRefusedUnlessTheOperatorEnablesThem()
    {
        using var off = Build(allowed: [], customBaseUrls: false);
        var policy = off.GetRequiredService<ProviderEndpointPolicy>();
        Assert.False(policy.CustomBaseUrlsAllowed);
        Assert.Equal(ProviderDefaults.VonageBaseUrl, policy.BaseUrlFor("http://169.254.169.254", ProviderDefaults.VonageBaseUrl));

        var sms = new UpdateSmsProviderValidator(policy).Validate(
            new UpdateSmsProviderCommand(Guid.NewGuid(), SmsProviderKind.Vonage, "key", "secret", "Ciba", "https://sms.example.com"));
        Assert.Contains(sms.Errors, e => e.PropertyName == "BaseUrl" && e.ErrorMessage.Contains("turned off", StringComparison.Ordinal));
        var email = new UpdateEmailProviderValidator(policy).Validate(
            new UpdateEmailProviderCommand(Guid.NewGuid(), EmailProviderKind.SendGrid, "key", "a@b.test", null, "https://mail.example.com"));
        Assert.Contains(email.Errors, e => e.PropertyName == "BaseUrl");

        using var on = Build(allowed: [], customBaseUrls: true);
        Assert.Equal("https://sms.example.com", on.GetRequiredService<ProviderEndpointPolicy>().BaseUrlFor("https://sms.example.com", ProviderDefaults.VonageBaseUrl));
    }

    [Theory]
    [InlineData("Production", "http://sms.example.com", false)]
    [InlineData("Production", "https://sms.example.com", true)]
    [InlineData("Production", "http://127.0.0.1:9999", true)] // the operator's explicit allowance
    [InlineData("Production", "http://10.0.0.1:9999", false)]
    [InlineData("Development", "http://sms.example.com", true)]
    public void PlainHttp_IsAcceptedOnlyInDevelopmentOrForAnAllowedAddress(string environment, string url, bool accepted)
    {
        using var services = Build(allowed: ["127.0.0.1"], environment: environment);
        var policy = services.GetRequiredService<ProviderEndpointPolicy>();

        Assert.Equal(accepted, policy.RefusalFor(new Uri(url)) is null);
        var result = new UpdateSmsProviderValidator(policy).Validate(
            new UpdateSmsProviderCommand(Guid.NewGuid(), SmsProviderKind.Vonage, "key", "secret", "Ciba", url));
        Assert.Equal(accepted, result.IsValid);
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Development", true)]
    public void DevelopmentInbox_CanBeChosenOnlyInDevelopment(string environment, bool allowed)
    {
        using var services = Build(allowed: [], environment: environment);
        var policy = services.GetRequiredService<ProviderEndpointPolicy>();

        var sms = new UpdateSmsProviderValidator(policy).Validate(new UpdateSmsProviderCommand(Guid.NewGuid(), SmsProviderKind.DevelopmentInbox));
        var email = new UpdateEmailProviderValidator(policy).Validate(new UpdateEmailProviderCommand(Guid.NewGuid(), EmailProviderKind.DevelopmentInbox));
        Assert.Equal(allowed, sms.IsValid);
        Assert.Equal(allowed, email.IsValid);

        var outcome = services.GetRequiredService<DevelopmentInboxSender>().Send(Guid.NewGuid(), MessageChannel.Sms, "+15550100001", null, "hi", null);
        Assert.Equal(allowed ? SendOutcomeKind.Sent : SendOutcomeKind.Permanent, outcome.Kind);
        if (!allowed)
        {
            Assert.Equal(DevelopmentInboxSender.NotAvailable, outcome.Error);
            Assert.Null(outcome.InboxMessage);
        }
    }

    private ServiceProvider Build(string[] allowed, bool customBaseUrls = true, string environment = "Testing")
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ciba:PublicOrigin"] = "https://ciba.test",
            ["Ciba:Notifications:DispatcherEnabled"] = "false",
            ["Ciba:Notifications:ProviderTimeout"] = "00:00:04",
            ["Ciba:Notifications:AllowCustomProviderBaseUrls"] = customBaseUrls ? "true" : "false",
            ["Ciba:DataProtection:CertificatePath"] = TestCertificates.DataProtectionPfx,
            ["Ciba:DataProtection:CertificatePassword"] = TestCertificates.Password,
        };
        for (var i = 0; i < allowed.Length; i++)
        {
            settings[$"Ciba:Outbound:AllowedAddresses:{i}"] = allowed[i];
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(environment));
        services.AddInfrastructure(configuration);
        services.Replace(ServiceDescriptor.Singleton<IHostResolver>(_resolver));
        return services.BuildServiceProvider();
    }

    private static Task<SendOutcome> Vonage(ServiceProvider services, string baseUrl) =>
        services.GetRequiredService<VonageSmsSender>().SendAsync(
            new VonageSettings("key", "secret", "Ciba", baseUrl), "+15550100001", "hello", CancellationToken.None);

    private sealed class StubResolver : IHostResolver
    {
        public ConcurrentDictionary<string, IPAddress[]> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

        public ConcurrentBag<string> Asked { get; } = [];

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Asked.Add(host);
            return Task.FromResult(Names.TryGetValue(host, out var addresses) ? addresses : []);
        }
    }
}
