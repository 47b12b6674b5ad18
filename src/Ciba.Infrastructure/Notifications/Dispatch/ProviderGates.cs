using Ciba.Application.Notifications;
using Ciba.Domain.Notifications;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Notifications.Dispatch;

/// <summary>
/// Per organization and channel (one provider account each), on this node: a limit on sends at once,
/// and a circuit breaker that holds that provider's messages back after several transient failures
/// in a row, or for as long as a 429's <c>Retry-After</c> asks. Other providers keep their slots.
/// </summary>
public sealed class ProviderGates(IOptions<NotificationOptions> options)
{
    private readonly Dictionary<(Guid OrganizationId, MessageChannel Channel), GateState> _gates = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Takes a send permit, unless the provider is held back (breaker open, Retry-After): then returns
    /// false and until when. At the limit it waits for a permit when <paramref name="wait"/> is set,
    /// else returns false with no hold: the message is due again at once, and the next claim skips
    /// this provider until a permit frees (the continuous dispatcher must not hold a slot waiting).
    /// </summary>
    public async Task<(bool Entered, DateTimeOffset? HeldUntil)> EnterAsync(Guid organizationId, MessageChannel channel, DateTimeOffset now, bool wait)
    {
        GateState gate;
        lock (_lock)
        {
            gate = Get(organizationId, channel);
            if (gate.OpenUntil is { } openUntil && now < openUntil)
            {
                return (false, openUntil);
            }
        }

        if (wait)
        {
            await gate.Permits.WaitAsync();
            return (true, null);
        }

        return await gate.Permits.WaitAsync(0) ? (true, null) : (false, null);
    }

    /// <summary>Returns the permit and feeds the breaker with the outcome.</summary>
    public void Exit(Guid organizationId, MessageChannel channel, SendOutcome? outcome, DateTimeOffset now)
    {
        lock (_lock)
        {
            var gate = Get(organizationId, channel);
            gate.Permits.Release();
            switch (outcome?.Kind)
            {
                case SendOutcomeKind.Transient:
                    gate.ConsecutiveFailures++;
                    var until = outcome.RetryAfter is { } retryAfter ? now + retryAfter : (DateTimeOffset?)null;
                    if (gate.ConsecutiveFailures >= options.Value.BreakerFailureThreshold)
                    {
                        var breakerUntil = now + options.Value.BreakerOpenFor;
                        until = until is { } u && u > breakerUntil ? u : breakerUntil;
                    }

                    if (until is { } hold)
                    {
                        gate.OpenUntil = hold;
                    }

                    break;
                case SendOutcomeKind.Sent or SendOutcomeKind.Permanent:
                    gate.ConsecutiveFailures = 0;
                    gate.OpenUntil = null;
                    break;
            }
        }
    }

    /// <summary>The keys to leave out of the next claim: busy to the limit or held back.</summary>
    public IReadOnlyList<(Guid OrganizationId, MessageChannel Channel)> Blocked(DateTimeOffset now)
    {
        lock (_lock)
        {
            return [.. _gates.Where(g => g.Value.Permits.CurrentCount == 0 || (g.Value.OpenUntil is { } until && now < until)).Select(g => g.Key)];
        }
    }

    private GateState Get(Guid organizationId, MessageChannel channel)
    {
        if (!_gates.TryGetValue((organizationId, channel), out var gate))
        {
            gate = new GateState(options.Value.MaxSendsPerProvider);
            _gates[(organizationId, channel)] = gate;
        }

        return gate;
    }

    private sealed class GateState(int permits)
    {
        public SemaphoreSlim Permits { get; } = new(permits, permits);

        public int ConsecutiveFailures { get; set; }

        public DateTimeOffset? OpenUntil { get; set; }
    }
}
