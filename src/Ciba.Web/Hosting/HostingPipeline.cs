using System.Net;
using Ciba.Application.Common.Options;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Hosting;

/// <summary>
/// How Ciba sits behind a load balancer or reverse proxy (product.md §15): forwarded headers from
/// the configured proxies only, and HTTPS redirection with HSTS when the public origin is https.
/// </summary>
public static class HostingPipeline
{
    public static IServiceCollection AddProxyAwareHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>()
            .Bind(configuration.GetSection(ProxyOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();

        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                forwarded.ForwardLimit = proxies.Value.ForwardLimit;

                // ASP.NET Core trusts loopback out of the box; Ciba trusts only what is configured.
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var proxy in proxies.Value.KnownProxies)
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }

                foreach (var network in proxies.Value.KnownNetworks)
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }
            });

        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = false;
            options.Preload = false;
        });
        return services;
    }

    /// <summary>Forwarded headers first (when any proxy is trusted), then https-only when the public origin says so.</summary>
    public static WebApplication UseProxyAwareHosting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.TrustsAnyProxy)
        {
            app.UseForwardedHeaders();
        }

        if (app.Services.GetRequiredService<IOptions<CibaOptions>>().Value.PublicOriginUri.Scheme == Uri.UriSchemeHttps)
        {
            app.UseMiddleware<PublicOriginHttpsRedirection>();
            app.UseHsts();
        }

        return app;
    }

    internal static bool IsHealthProbe(PathString path) =>
        path.Equals("/healthz", StringComparison.Ordinal) || path.Equals("/readyz", StringComparison.Ordinal);

    private sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProxyOptions options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
