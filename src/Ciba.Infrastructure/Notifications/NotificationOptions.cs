using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Notifications;

/// <summary>How the outbox dispatcher and the provider adapters behave, bound from <c>Ciba:Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Ciba:Notifications";

    /// <summary>Runs the dispatcher as a hosted service. Tests turn it off and call <c>DispatchOnceAsync</c> themselves.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Lets organizations point SendGrid or Vonage at a base URL of their own (off by default: an SSRF risk).</summary>
    public bool AllowCustomProviderBaseUrls { get; set; }

    /// <summary>How many due messages one node claims at a time (in <c>DispatchOnceAsync</c>; the running dispatcher claims one per free slot).</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Send slots per node: how many messages are sent at once. A free slot claims the next due message.</summary>
    [Range(1, 64)]
    public int MaxParallelSends { get; set; } = 8;

    /// <summary>Sends at once per organization and channel (that is, per provider account), so one slow provider cannot take every slot.</summary>
    [Range(1, 64)]
    public int MaxSendsPerProvider { get; set; } = 3;

    /// <summary>Transient failures in a row (per organization and channel) that open the circuit breaker.</summary>
    [Range(1, 100)]
    public int BreakerFailureThreshold { get; set; } = 5;

    /// <summary>How long an open breaker holds that provider's messages back before one is tried again.</summary>
    public TimeSpan BreakerOpenFor { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an idle node looks for due messages (messages saved on the same node wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Attempts before a message that keeps failing transiently is marked failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait after the first transient failure; it doubles with each further failure.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a provider call may take before it counts as a transient failure.</summary>
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a client's notification endpoint may take to answer a ping or push callback (product.md §11: 5 s).</summary>
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each node looks for ping and push requests that expired undecided.</summary>
    public TimeSpan CallbackSweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a claim keeps a message from other nodes. It is renewed while the send and the
    /// recording run, so it only has to cover a renewal period; if a node dies holding it, another
    /// node takes the message after this. It must be well below the request expiry (see <see cref="Validate"/>).
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a node keeps retrying to record an outcome through a database outage before it gives the message up to its lease.</summary>
    public TimeSpan RecordRetryBudget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest lease allowed: a quarter of the default request expiry, so a dead node's messages are sent again in time.</summary>
    public static readonly TimeSpan MaxClaimLease = TimeSpan.FromSeconds(Ciba.Domain.Applications.CibaSettings.DefaultExpirySeconds / 4.0);

    public TimeSpan BackoffAfter(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }

    public static IEnumerable<string> Validate(NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PollInterval < TimeSpan.FromMilliseconds(50) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            yield return "Ciba:Notifications:PollInterval must be between 50 ms and 1 minute.";
        }

        if (options.InitialBackoff <= TimeSpan.Zero || options.MaxBackoff < options.InitialBackoff)
        {
            yield return "Ciba:Notifications:InitialBackoff must be positive and not above MaxBackoff.";
        }

        if (options.ProviderTimeout <= TimeSpan.Zero || options.ProviderTimeout > TimeSpan.FromMinutes(2))
        {
            yield return "Ciba:Notifications:ProviderTimeout must be positive and at most 2 minutes.";
        }

        if (options.ClaimLease < TimeSpan.FromSeconds(3) || options.ClaimLease > MaxClaimLease)
        {
            yield return $"Ciba:Notifications:ClaimLease must be between 3 seconds and {MaxClaimLease.TotalSeconds} seconds (a quarter of the default request expiry); it is renewed while a send runs.";
        }

        if (options.CallbackTimeout <= TimeSpan.Zero || options.CallbackTimeout > TimeSpan.FromMinutes(1))
        {
            yield return "Ciba:Notifications:CallbackTimeout must be positive and at most 1 minute.";
        }

        if (options.CallbackSweepInterval < TimeSpan.FromMilliseconds(100) || options.CallbackSweepInterval > TimeSpan.FromMinutes(1))
        {
            yield return "Ciba:Notifications:CallbackSweepInterval must be between 100 ms and 1 minute.";
        }

        if (options.ClaimLease < options.ProviderTimeout)
        {
            yield return "Ciba:Notifications:ClaimLease must be at least Ciba:Notifications:ProviderTimeout.";
        }

        if (options.RecordRetryBudget < TimeSpan.Zero || options.RecordRetryBudget > TimeSpan.FromMinutes(2))
        {
            yield return "Ciba:Notifications:RecordRetryBudget must be between 0 and 2 minutes.";
        }

        if (options.BreakerOpenFor <= TimeSpan.Zero || options.BreakerOpenFor > TimeSpan.FromMinutes(10))
        {
            yield return "Ciba:Notifications:BreakerOpenFor must be positive and at most 10 minutes.";
        }

        if (options.MaxSendsPerProvider > options.MaxParallelSends)
        {
            yield return "Ciba:Notifications:MaxSendsPerProvider must not exceed MaxParallelSends.";
        }
    }
}

internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = NotificationOptions.Validate(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
