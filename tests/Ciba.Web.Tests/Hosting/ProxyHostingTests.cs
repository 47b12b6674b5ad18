using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Ciba.Web.Tests.Hosting;

/// <summary>The app behind a TLS-terminating proxy at 10.0.0.5 (and any proxy in 10.1.0.0/16), with an https public origin.</summary>
public sealed class ProxiedWebFactory : CibaWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ciba:ForwardedHeaders:KnownProxies:0", "10.0.0.5");
        builder.UseSetting("Ciba:ForwardedHeaders:KnownNetworks:0", "10.1.0.0/16");
        builder.AddConnectionEcho();
    }
}

public class ProxyHostingTests(ProxiedWebFactory factory) : IClassFixture<ProxiedWebFactory>
{
    private static readonly Dictionary<string, string> Forged = new()
    {
        ["X-Forwarded-For"] = "198.51.100.7",
        ["X-Forwarded-Proto"] = "https",
    };

    [Fact]
    public async Task ForwardedHeaders_FromAnUntrustedAddress_AreIgnored()
    {
        var overHttps = await factory.Server.SendFromAsync("203.0.113.9", "https", ConnectionEcho.Path, Forged);
        var overHttp = await factory.Server.SendFromAsync("203.0.113.9", "http", ConnectionEcho.Path, Forged);

        Assert.Equal("203.0.113.9|https", await overHttps.BodyAsync());
        Assert.Equal(StatusCodes.Status308PermanentRedirect, overHttp.Response.StatusCode);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("10.1.42.7")]
    public async Task ForwardedHeaders_FromAConfiguredProxy_AreHonoured(string proxy)
    {
        var context = await factory.Server.SendFromAsync(proxy, "http", ConnectionEcho.Path, Forged);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("198.51.100.7|https", await context.BodyAsync());
    }

    [Fact]
    public async Task ForwardedHeaders_FromAConfiguredProxy_TakeOnlyTheLastHop()
    {
        // A client that sends its own X-Forwarded-For through the proxy cannot choose its address.
        var headers = new Dictionary<string, string> { ["X-Forwarded-For"] = "10.0.0.1, 198.51.100.7", ["X-Forwarded-Proto"] = "https" };

        var context = await factory.Server.SendFromAsync("10.0.0.5", "https", ConnectionEcho.Path, headers);

        Assert.Equal("198.51.100.7|https", await context.BodyAsync());
    }

    [Fact]
    public async Task PlainHttp_IsRedirectedToThePublicOrigin_NotToTheHostHeader()
    {
        var context = await factory.Server.SendFromAsync("203.0.113.9", "http", "/t/demo/login?returnUrl=%2Ft%2Fdemo%2Fconsole", host: "evil.example");

        Assert.Equal(StatusCodes.Status308PermanentRedirect, context.Response.StatusCode);
        Assert.Equal("https://ciba.test/t/demo/login?returnUrl=%2Ft%2Fdemo%2Fconsole", context.Response.Headers.Location.ToString());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HealthProbes_OverPlainHttp_AreAnswered(string path)
    {
        var context = await factory.Server.SendFromAsync("10.9.9.9", "http", path);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public async Task HttpsResponses_CarryHsts()
    {
        var context = await factory.Server.SendFromAsync("203.0.113.9", "https", "/t/demo/oauth2/jwks");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("max-age=31536000", context.Response.Headers.StrictTransportSecurity.ToString());
    }
}

/// <summary>Nothing configured: forwarded headers are ignored even from loopback (which ASP.NET Core would trust by default).</summary>
public sealed class EchoWebFactory : CibaWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.AddConnectionEcho();
    }
}

public class UnconfiguredProxyTests(EchoWebFactory factory) : IClassFixture<EchoWebFactory>
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.0.0.5")]
    public async Task ForwardedHeaders_ByDefault_AreIgnoredFromEveryone(string remote)
    {
        var headers = new Dictionary<string, string> { ["X-Forwarded-For"] = "198.51.100.7", ["X-Forwarded-Proto"] = "https" };

        var context = await factory.Server.SendFromAsync(remote, "https", ConnectionEcho.Path, headers);

        Assert.Equal($"{IPAddress.Parse(remote)}|https", await context.BodyAsync());
    }
}

public class ProxyConfigurationTests
{
    [Theory]
    [InlineData("KnownProxies:0", "not-an-address")]
    [InlineData("KnownProxies:0", "10.0.0.5\0")]
    [InlineData("KnownNetworks:0", "10.0.0.0/33")]
    [InlineData("KnownNetworks:0", "10.0.0.5")]
    [InlineData("ForwardLimit", "0")]
    public async Task InvalidProxySettings_StopTheStart(string key, string value)
    {
        var factory = new MisconfiguredWebFactory(("Ciba:ForwardedHeaders:" + key, value));
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(factory.InitializeAsync);

            Assert.Contains("Ciba:ForwardedHeaders", failure.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }
}

/// <summary>The app with extra settings, for tests that expect the start to fail.</summary>
public sealed class MisconfiguredWebFactory(params (string Key, string Value)[] settings) : CibaWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
