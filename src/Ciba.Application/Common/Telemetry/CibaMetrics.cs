using System.Diagnostics.Metrics;

namespace Ciba.Application.Common.Telemetry;

/// <summary>
/// Every instrument of Ciba's own meter (product.md §15), in one place. Recording is a counter
/// increment with constant-string tags: no allocation, and next to nothing while no listener
/// (OpenTelemetry) is attached. The gauges read the last values the backlog sampler stored.
/// </summary>
public sealed class CibaMetrics : IDisposable
{
    public const string MeterName = "Ciba";

    private readonly Meter _meter;
    private readonly Counter<long> _protocolRequests;
    private readonly Counter<long> _polls;
    private readonly Counter<long> _deliveries;
    private BacklogSample _backlog = BacklogSample.None;

    public CibaMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _protocolRequests = _meter.CreateCounter<long>(
            "ciba.protocol.requests", "{request}", "Protocol requests answered, by endpoint and outcome (ok or the OAuth error code).");
        _polls = _meter.CreateCounter<long>(
            "ciba.token.polls", "{poll}", "Token requests with the CIBA grant, by outcome (issued or the OAuth error code).");
        _deliveries = _meter.CreateCounter<long>(
            "ciba.deliveries", "{attempt}", "Outbox delivery attempts, by channel and status (sent, retry, failed, skipped).");
        _meter.CreateObservableGauge(
            "ciba.auth_requests.pending", () => Volatile.Read(ref _backlog).PendingAuthRequests, "{request}",
            "Auth requests waiting for the person's decision and not expired (the database's count, the same on every node).");
        _meter.CreateObservableGauge(
            "ciba.outbox.due", () => Volatile.Read(ref _backlog).DueMessages, "{message}",
            "Outbox messages due and not yet claimed by a dispatcher (the database's count, the same on every node).");
        _meter.CreateObservableGauge(
            "ciba.outbox.dispatch_lag", () => Volatile.Read(ref _backlog).OldestDueAge.TotalSeconds, "s",
            "How long the oldest due outbox message has been waiting for a dispatcher (0 when none is waiting).");
    }

    public void ProtocolRequestAnswered(string endpoint, string outcome) =>
        _protocolRequests.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="outcome"><see cref="PollOutcomes.Issued"/>, or the OAuth error code the poll was answered with.</param>
    public void PollAnswered(string outcome) =>
        _polls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="channel">The channel's wire name (<c>email</c>, <c>sms</c>).</param>
    /// <param name="status">One of <see cref="DeliveryStatuses"/>.</param>
    public void DeliveryAttempted(string channel, string status) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("status", status));

    public void RecordBacklog(BacklogSample sample) => Volatile.Write(ref _backlog, sample ?? throw new ArgumentNullException(nameof(sample)));

    public void Dispose() => _meter.Dispose();

    public static class PollOutcomes
    {
        public const string Issued = "issued";
    }

    public static class DeliveryStatuses
    {
        public const string Sent = "sent";
        public const string Retry = "retry";
        public const string Failed = "failed";
        public const string Skipped = "skipped";
    }
}

/// <summary>The database's backlog at one moment: what the gauges report until the next sample.</summary>
public sealed record BacklogSample(long PendingAuthRequests, long DueMessages, TimeSpan OldestDueAge)
{
    public static BacklogSample None { get; } = new(0, 0, TimeSpan.Zero);
}
