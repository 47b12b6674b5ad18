using System.Net;
using Ciba.Application.Common.Telemetry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ciba.Web.Telemetry;

/// <summary>
/// OpenTelemetry for Ciba (product.md §15), off unless <c>Ciba:Telemetry</c> turns it on: metrics
/// (<see cref="CibaMetrics"/>, ASP.NET Core, Kestrel and HttpClient meters) for a Prometheus scrape
/// endpoint and/or an OTLP collector; traces (requests, Npgsql commands, provider calls) to an OTLP
/// collector. With everything off nothing is registered, so the hot paths pay nothing.
/// </summary>
public static class TelemetryServices
{
    public const string ServiceName = "ciba";
    public const string ScrapePath = "/metrics";

    // The meters ASP.NET Core, Kestrel and HttpClient publish themselves (.NET 8+).
    private static readonly string[] FrameworkMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics", "System.Net.Http"];

    public static IServiceCollection AddCibaTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddOptions<TelemetryOptions>().ValidateOnStart();

        // One filter instance for the life of the app: MVC caches the filter pipeline of every action
        // only when all its filters are reusable instances.
        services.AddOptions<MvcOptions>().Configure<CibaMetrics>((mvc, metrics) => mvc.Filters.Add(new ProtocolRequestMetricsFilter(metrics)));

        var settings = new TelemetryOptions();
        configuration.GetSection(TelemetryOptions.SectionName).Bind(settings);
        if (!settings.Metrics.Enabled && !settings.Traces.Enabled)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        if (settings.Metrics.Enabled)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(CibaMetrics.MeterName).AddMeter(FrameworkMeters);
                if (settings.Prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }

                if (settings.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(otlp => UseCollector(otlp, endpoint, "v1/metrics"));
                }
            });
        }

        if (settings.Traces.Enabled)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.Traces.SampleRatio)))

                    // Query strings are redacted by the instrumentation (the consent link's key is one).
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsOperational(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddSource("Npgsql");
                if (settings.OtlpEndpoint is { } endpoint)
                {
                    tracing.AddOtlpExporter(otlp => UseCollector(otlp, endpoint, "v1/traces"));
                }
            });
        }

        return services;
    }

    /// <summary>
    /// The Prometheus scrape endpoint, first in the pipeline (so neither forwarded headers nor the
    /// https redirect apply to it), answered only on the configured port or to the allowed
    /// networks, both judged on the connection itself; anyone else gets the app's 404.
    /// </summary>
    public static WebApplication UseCibaScrapeEndpoint(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (!settings.Metrics.Enabled || !settings.Prometheus.Enabled)
        {
            return app;
        }

        var port = settings.Prometheus.Port;
        var networks = settings.Prometheus.AllowedNetworks.Select(n => IPNetwork.Parse(n)).ToArray();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path.Equals(ScrapePath, StringComparison.Ordinal)
            && (port is null || context.Connection.LocalPort == port)
            && (networks.Length == 0 || (context.Connection.RemoteIpAddress is { } remote && networks.Any(n => n.Contains(Unmapped(remote))))));
        return app;
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool IsOperational(PathString path) =>
        path.Equals("/healthz", StringComparison.Ordinal) || path.Equals("/readyz", StringComparison.Ordinal) || path.Equals(ScrapePath, StringComparison.Ordinal);

    private static void UseCollector(OtlpExporterOptions otlp, Uri collector, string signalPath)
    {
        otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
        otlp.Endpoint = new Uri(collector, signalPath);
    }

    private sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
    {
        public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
