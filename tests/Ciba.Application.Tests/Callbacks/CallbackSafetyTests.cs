using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Ciba.Application.Callbacks;
using Ciba.Application.Notifications;
using Ciba.Infrastructure;
using Ciba.Infrastructure.Callbacks;
using Ciba.Infrastructure.Outbound;
using Ciba.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Ciba.Application.Tests.Callbacks;

/// <summary>Issue 12 item 6: outbound safety for client notification endpoints, and the endpoint and token rules (product.md §11).</summary>
public sealed class CallbackSafetyTests : IAsyncLifetime
{
    private readonly RecordingHttpServer _receiver = RecordingHttpServer.Start();
    private readonly StubResolver _resolver = new();

    public Task InitializeAsync()
    {
        _receiver.DefaultResponse = new ScriptedResponse(204, string.Empty);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private int Port => new Uri(_receiver.BaseUrl).Port;

    [Fact]
    public async Task Production_HostResolvingToLoopback_IsRefusedBeforeAnyConnection()
    {
        _resolver.Names["callback.test"] = [IPAddress.Loopback];
        await using var services = Build("Production", allowed: []);

        var outcome = await SendAsync(services, $"https://callback.test:{Port}/notify");

        Assert.Equal(SendOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal("Client notification endpoint: unsafe address (loopback); not contacted.", outcome.Error);
        Assert.Contains("callback.test", _resolver.Asked);
        Assert.Empty(_receiver.Requests);
    }

    [Theory]
    [InlineData("10.0.0.7", "private")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("224.0.0.5", "multicast")]
    public async Task Development_HostResolvingToPrivateOrMetadata_IsStillRefused(string address, string expectedClass)
    {
        _resolver.Names["intranet.test"] = [IPAddress.Parse(address)];
        await using var services = Build("Development", allowed: []);

        var outcome = await SendAsync(services, $"https://intranet.test:{Port}/notify");

        Assert.Equal(SendOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal($"Client notification endpoint: unsafe address ({expectedClass}); not contacted.", outcome.Error);
    }

    [Fact]
    public async Task Production_PlainHttpToLoopbackLiteral_IsRefused()
    {
        await using var services = Build("Production", allowed: []);

        var outcome = await SendAsync(services, $"http://127.0.0.1:{Port}/notify");

        Assert.Equal(SendOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("not contacted", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task Development_AllowsLoopback_WithoutAnAllowlist()
    {
        await using var services = Build("Development", allowed: []);

        var outcome = await SendAsync(services, $"http://127.0.0.1:{Port}/notify");

        Assert.Equal(SendOutcomeKind.Sent, outcome.Kind);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("Bearer tok-123", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task Production_OperatorAllowlistedAddress_IsCalled()
    {
        await using var services = Build("Production", allowed: ["127.0.0.1"]);

        var outcome = await SendAsync(services, $"http://127.0.0.1:{Port}/notify");

        Assert.Equal(SendOutcomeKind.Sent, outcome.Kind);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task LargeAnswer_IsNotReadBeyondTheLimit_AndStillCountsAsDelivered()
    {
        _receiver.DefaultResponse = new ScriptedResponse(200, new string('x', 2_000_000));
        await using var services = Build("Testing", allowed: ["127.0.0.1"]);

        var outcome = await SendAsync(services, $"http://127.0.0.1:{Port}/notify");

        Assert.Equal(SendOutcomeKind.Sent, outcome.Kind);
        Assert.Equal("HTTP 200", outcome.ProviderMessageId);
    }

    [Theory]
    [InlineData("Production", "https://client.example.com/cb", true)]
    [InlineData("Production", "http://127.0.0.1:5199/cb", false)]
    [InlineData("Production", "http://localhost:5199/cb", false)]
    [InlineData("Development", "http://127.0.0.1:5199/cb", true)]
    [InlineData("Development", "http://[::1]:5199/cb", true)]
    [InlineData("Development", "http://LOCALHOST:5199/cb", true)]
    [InlineData("Development", "http://client.example.com/cb", false)]
    [InlineData("Development", "http://10.0.0.1/cb", false)]
    [InlineData("Development", "https://client.example.com/cb#x", false)]
    [InlineData("Development", "https://u:p@client.example.com/cb", false)]
    [InlineData("Development", "https://u@client.example.com/cb", false)]
    [InlineData("Development", "client.example.com/cb", false)]
    [InlineData("Development", "javascript:alert(1)", false)]
    [InlineData("Development", "https://client.example.com/ c", false)]
    [InlineData("Development", "", false)]
    public void EndpointPolicy_AppliesTheRulesOfTheEnvironment(string environment, string endpoint, bool accepted)
    {
        using var services = Build(environment, allowed: []);
        var refusal = services.GetRequiredService<ICallbackEndpointPolicy>().RefusalFor(endpoint);
        Assert.Equal(accepted, refusal is null);
    }

    [Fact]
    public void EndpointPolicy_RefusesEndpointsLongerThanTheLimit()
    {
        using var services = Build("Production", allowed: []);
        var endpoint = "https://client.example.com/" + new string('a', 400);
        Assert.NotNull(services.GetRequiredService<ICallbackEndpointPolicy>().RefusalFor(endpoint));
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("Zm9v-._~+/YmFy==", true)]
    [InlineData("a=", true)]
    [InlineData("", false)]
    [InlineData("=", false)]
    [InlineData("a=b", false)]
    [InlineData("a b", false)]
    [InlineData("a\"b", false)]
    [InlineData("a,b", false)]
    [InlineData("é", false)]
    public void NotificationToken_FollowsB64TokenSyntax(string token, bool valid) =>
        Assert.Equal(valid, ClientNotificationToken.IsValid(token));

    [Fact]
    public void NotificationToken_IsAtMost1024Characters()
    {
        Assert.True(ClientNotificationToken.IsValid(new string('a', 1024)));
        Assert.False(ClientNotificationToken.IsValid(new string('a', 1025)));
    }

    private static Task<SendOutcome> SendAsync(ServiceProvider services, string endpoint)
    {
        var content = new CallbackContent(endpoint, "tok-123", """{"auth_req_id":"r1"}""");
        return services.GetRequiredService<ClientNotificationSender>().SendAsync(services.GetRequiredService<ICallbackProtector>().Protect(content));
    }

    private ServiceProvider Build(string environment, string[] allowed)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ciba:PublicOrigin"] = "https://ciba.test",
            ["Ciba:Notifications:DispatcherEnabled"] = "false",
            ["Ciba:Notifications:CallbackTimeout"] = "00:00:03",
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

        // No database here: the content is protected as plain JSON (the Data Protection key ring lives in PostgreSQL).
        services.Replace(ServiceDescriptor.Singleton<ICallbackProtector>(new PlainProtector()));
        return services.BuildServiceProvider();
    }

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

    private sealed class PlainProtector : ICallbackProtector
    {
        public string Protect(CallbackRegistration registration) => JsonSerializer.Serialize(registration);

        public CallbackRegistration UnprotectRegistration(string protectedRegistration) => JsonSerializer.Deserialize<CallbackRegistration>(protectedRegistration)!;

        public string Protect(CallbackContent content) => JsonSerializer.Serialize(content);

        public CallbackContent UnprotectContent(string protectedContent) => JsonSerializer.Deserialize<CallbackContent>(protectedContent)!;
    }
}
