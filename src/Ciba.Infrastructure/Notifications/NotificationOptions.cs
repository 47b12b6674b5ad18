using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Notifications;

/// <summary>How the outbox dispatcher and the provider adapters behave, bound from <c>Ciba:Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Ciba:Notifications";

    /// <summary>Runs the dispatcher as a hosted service. Tests turn it off and call <c>DispatchOnceAsync</c> themselves.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How many due messages one node claims at a time.</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>How many of a claimed batch are sent at once.</summary>
    [Range(1, 64)]
    public int MaxParallelSends { get; set; } = 4;

    /// <summary>How often an idle node looks for due messages (messages saved on the same node wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Attempts before a message that keeps failing transiently is marked failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait after the first transient failure; it doubles with each further failure.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a provider call may take before it counts as a transient failure.</summary>
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a claimed message stays invisible to other nodes. If a node dies holding it, another
    /// node sends it after this; it must outlast the slowest batch (see <see cref="Validate"/>).
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

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

        var rounds = (options.BatchSize + options.MaxParallelSends - 1) / Math.Max(1, options.MaxParallelSends);
        var slowestBatch = options.ProviderTimeout * rounds;
        if (options.ClaimLease < slowestBatch + TimeSpan.FromSeconds(30))
        {
            yield return $"Ciba:Notifications:ClaimLease must exceed the slowest batch ({slowestBatch}) by at least 30 seconds.";
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
