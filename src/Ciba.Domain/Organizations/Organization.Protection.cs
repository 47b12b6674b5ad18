namespace Ciba.Domain.Organizations;

/// <summary>product.md §14 anti-fatigue limits, per organization.</summary>
public sealed partial class Organization
{
    public const int DefaultMaxPendingPerUser = 3;
    public const int DefaultMaxRequestsPerUserPerClient = 5;
    public const int DefaultCooldownMinutes = 60;

    public int MaxPendingPerUser { get; private set; } = DefaultMaxPendingPerUser;

    public int MaxRequestsPerUserPerClient { get; private set; } = DefaultMaxRequestsPerUserPerClient;

    public int CooldownMinutes { get; private set; } = DefaultCooldownMinutes;

    public AntiFatigueLimits Limits => new(MaxPendingPerUser, MaxRequestsPerUserPerClient, CooldownMinutes);

    public void SetLimits(AntiFatigueLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!limits.IsValid)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits, "A limit is out of range.");
        }

        MaxPendingPerUser = limits.MaxPendingPerUser;
        MaxRequestsPerUserPerClient = limits.MaxRequestsPerUserPerClient;
        CooldownMinutes = limits.CooldownMinutes;
    }
}

/// <summary>
/// At most <see cref="MaxPendingPerUser"/> pending requests per person, at most
/// <see cref="MaxRequestsPerUserPerClient"/> requests per person per application in
/// <see cref="Window"/>, and no requests from an application a person reported, for
/// <see cref="CooldownMinutes"/> after the report.
/// </summary>
public sealed record AntiFatigueLimits(int MaxPendingPerUser, int MaxRequestsPerUserPerClient, int CooldownMinutes)
{
    public const int MaxPending = 100;
    public const int MaxPerClient = 1000;
    public const int MaxCooldownMinutes = 10_080;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public static AntiFatigueLimits Default { get; } = new(
        Organization.DefaultMaxPendingPerUser, Organization.DefaultMaxRequestsPerUserPerClient, Organization.DefaultCooldownMinutes);

    public bool IsValid => MaxPendingPerUser is >= 1 and <= MaxPending
        && MaxRequestsPerUserPerClient is >= 1 and <= MaxPerClient
        && CooldownMinutes is >= 1 and <= MaxCooldownMinutes;

    public TimeSpan Cooldown => TimeSpan.FromMinutes(CooldownMinutes);

    /// <summary>Why a new request must be refused (a description naming the limit), or null when it may go ahead.</summary>
    public string? Refusal(AntiFatigueCounts counts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.CooldownUntil is { } until && until > now)
        {
            return "Cooldown: the user reported a request from this client as not theirs, so its requests to this user are blocked for a while.";
        }

        if (counts.Pending >= MaxPendingPerUser)
        {
            return $"Limit reached: at most {MaxPendingPerUser} pending requests per user.";
        }

        if (counts.RecentFromClient >= MaxRequestsPerUserPerClient)
        {
            return $"Limit reached: at most {MaxRequestsPerUserPerClient} requests per user per client in 10 minutes.";
        }

        return null;
    }
}

/// <summary>What the limits are checked against: the person's pending requests, this client's recent ones, and an active cooldown.</summary>
public sealed record AntiFatigueCounts(int Pending, int RecentFromClient, DateTimeOffset? CooldownUntil)
{
    public static AntiFatigueCounts None { get; } = new(0, 0, null);
}
