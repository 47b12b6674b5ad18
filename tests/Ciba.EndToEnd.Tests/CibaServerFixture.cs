using System.Net;
using System.Net.Sockets;
using Ciba.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// A real Kestrel server on a free 127.0.0.1 port over a fresh PostgreSQL database seeded with the
/// demo organization, and Debian's headless Chromium driven by Playwright.
/// </summary>
public sealed class CibaServerFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private ServerFactory? _factory;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = string.Empty;

    public IBrowser Browser { get; private set; } = null!;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public IServiceProvider Services => _factory!.Services;

    public HttpClient CreateHttpClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };

    public async Task InitializeAsync()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("e2e");
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _factory = new ServerFactory(connectionString, BaseUrl, Time);
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        _factory.StartServer();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            var connectionString = _factory.ConnectionString;
            await _factory.DisposeAsync();
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    /// <summary>A new browser context at phone size (360 × 740), as the consent pages are used.</summary>
    public Task<IBrowserContext> NewPhoneContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
            BaseURL = BaseUrl,
            Locale = "en-US",
        });

    /// <summary>A phone (360 px) or laptop (1280 px) context, for tests that run at both widths.</summary>
    public Task<IBrowserContext> NewContextAsync(int width) => width <= 400 ? NewPhoneContextAsync() : NewLaptopContextAsync();

    /// <summary>A new browser context at laptop size, for the console.</summary>
    public Task<IBrowserContext> NewLaptopContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BaseURL = BaseUrl,
            Locale = "en-US",
        });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ServerFactory(string connectionString, string publicOrigin, TimeProvider time) : WebApplicationFactory<Program>
    {
        public string ConnectionString => connectionString;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseCibaTestSettings(connectionString, publicOrigin, time);
        }
    }
}
