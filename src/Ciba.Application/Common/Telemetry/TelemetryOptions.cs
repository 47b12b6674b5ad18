using System.Net;

namespace Ciba.Application.Common.Telemetry;

/// <summary>OpenTelemetry settings, bound from <c>Ciba:Telemetry</c>. Everything is off unless configured.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Ciba:Telemetry";

    public MetricsSettings Metrics { get; } = new();

    public PrometheusSettings Prometheus { get; } = new();

    public TracesSettings Traces { get; } = new();

    /// <summary>An OTLP collector (e.g. <c>http://otel-collector:4318</c>) that receives the traces and, when metrics are on, the metrics.</summary>
    public Uri? OtlpEndpoint { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Prometheus.Enabled && !Metrics.Enabled)
        {
            yield return $"{SectionName}:Prometheus:Enabled needs {SectionName}:Metrics:Enabled.";
        }

        if (Prometheus.Enabled && Prometheus.Port is null && Prometheus.AllowedNetworks.Count == 0)
        {
            yield return $"{SectionName}:Prometheus needs a Port (a listening port of its own) or AllowedNetworks: the scrape endpoint is never public by default.";
        }

        if (Prometheus.Port is < 1 or > 65535)
        {
            yield return $"{SectionName}:Prometheus:Port must be a TCP port.";
        }

        foreach (var network in Prometheus.AllowedNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return $"{SectionName}:Prometheus:AllowedNetworks: an entry is not a network in CIDR form (such as 10.0.0.0/24).";
            }
        }

        if (Traces.Enabled && OtlpEndpoint is null)
        {
            yield return $"{SectionName}:Traces:Enabled needs {SectionName}:OtlpEndpoint (where the traces go).";
        }

        if (Traces.SampleRatio is < 0 or > 1)
        {
            yield return $"{SectionName}:Traces:SampleRatio must be between 0 and 1.";
        }

        if (Metrics.SampleInterval < TimeSpan.FromSeconds(1) || Metrics.SampleInterval > TimeSpan.FromMinutes(10))
        {
            yield return $"{SectionName}:Metrics:SampleInterval must be between 1 second and 10 minutes.";
        }

        if (OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"{SectionName}:OtlpEndpoint must be an absolute http or https URL.";
        }
    }

    public sealed class MetricsSettings
    {
        public bool Enabled { get; set; }

        /// <summary>How often each node counts the pending auth requests and the outbox backlog in the database.</summary>
        public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);
    }

    public sealed class PrometheusSettings
    {
        /// <summary>Serves <c>/metrics</c> in the Prometheus text format, only as <see cref="Port"/> and <see cref="AllowedNetworks"/> allow.</summary>
        public bool Enabled { get; set; }

        /// <summary>Serve the scrape endpoint only on connections to this local port (add it to the listening URLs; keep it off the load balancer).</summary>
        public int? Port { get; set; }

        /// <summary>Serve the scrape endpoint only to these client networks (CIDR), checked on the connection's own address.</summary>
        public IList<string> AllowedNetworks { get; } = [];
    }

    public sealed class TracesSettings
    {
        /// <summary>Records traces of requests, database commands and provider calls; exported to <see cref="OtlpEndpoint"/>.</summary>
        public bool Enabled { get; set; }

        /// <summary>The share of new traces recorded (a caller's sampled trace is always followed).</summary>
        public double SampleRatio { get; set; } = 1.0;
    }
}
