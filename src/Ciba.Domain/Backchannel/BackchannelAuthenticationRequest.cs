using Ciba.Domain.Applications;

namespace Ciba.Domain.Backchannel;

/// <summary>
/// One CIBA authentication request (CIBA Core §7) from acknowledgement to redemption. It owns the
/// state machine pending → approved | denied → redeemed, its expiry and its poll timing. Only
/// hashes of the <c>auth_req_id</c> and of the link key are kept.
/// </summary>
public sealed partial class BackchannelAuthenticationRequest
{
    /// <summary>CIBA Core §11: on <c>slow_down</c> the interval grows by at least 5 seconds.</summary>
    public const int SlowDownIncrementSeconds = 5;

    /// <summary>product.md §3: up to 64 user-perceived characters (text elements).</summary>
    public const int MaxBindingMessageTextElements = 64;

    /// <summary>The stored length cap: 256 UTF-8 bytes, so at most 256 UTF-16 units or code points.</summary>
    public const int MaxBindingMessageBytes = 256;

    private BackchannelAuthenticationRequest()
    {
        AuthReqIdHash = [];
        LinkKeyHash = [];
        Scope = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ApplicationId { get; private set; }

    public Guid UserId { get; private set; }

    public byte[] AuthReqIdHash { get; private set; }

    public byte[] LinkKeyHash { get; private set; }

    /// <summary>Granted scopes, space separated, <c>openid</c> first.</summary>
    public string Scope { get; private set; }

    public string? BindingMessage { get; private set; }

    public NotificationChannels Channels { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public int IntervalSeconds { get; private set; }

    public DateTimeOffset? LastPolledAt { get; private set; }

    /// <summary>Whether the last poll came too soon and was answered <c>slow_down</c>.</summary>
    public bool LastPollTooSoon { get; private set; }

    public BackchannelRequestStatus Status { get; private set; }

    /// <summary>When the person it names first saw its consent page (for the console's timeline).</summary>
    public DateTimeOffset? ViewedAt { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>When the person last authenticated before approving (the ID token's <c>auth_time</c>).</summary>
    public DateTimeOffset? AuthenticatedAt { get; private set; }

    public DateTimeOffset? RedeemedAt { get; private set; }

    public static BackchannelAuthenticationRequest Create(
        Guid organizationId,
        Guid applicationId,
        Guid userId,
        byte[] authReqIdHash,
        byte[] linkKeyHash,
        string scope,
        string? bindingMessage,
        NotificationChannels channels,
        int expiresInSeconds,
        int intervalSeconds,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(authReqIdHash);
        ArgumentNullException.ThrowIfNull(linkKeyHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentOutOfRangeException.ThrowIfLessThan(expiresInSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalSeconds, 1);
        if (bindingMessage is not null && System.Text.Encoding.UTF8.GetByteCount(bindingMessage) > MaxBindingMessageBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(bindingMessage));
        }

        return new BackchannelAuthenticationRequest
        {
            Id = Guid.NewGuid(),
            OrganizationId = organizationId,
            ApplicationId = applicationId,
            UserId = userId,
            AuthReqIdHash = authReqIdHash,
            LinkKeyHash = linkKeyHash,
            Scope = scope,
            BindingMessage = bindingMessage,
            Channels = channels,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(expiresInSeconds),
            IntervalSeconds = intervalSeconds,
            Status = BackchannelRequestStatus.Pending,
        };
    }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Whether the person can still approve or deny it.</summary>
    public bool IsAwaitingDecision(DateTimeOffset now) => Status == BackchannelRequestStatus.Pending && !IsExpired(now);

    public TimeSpan TimeLeft(DateTimeOffset now) => IsExpired(now) ? TimeSpan.Zero : ExpiresAt - now;

    public DecisionOutcome Approve(Guid userId, DateTimeOffset authenticatedAt, DateTimeOffset now)
    {
        var refusal = CheckDecision(userId, now);
        if (refusal is not null)
        {
            return refusal.Value;
        }

        Status = BackchannelRequestStatus.Approved;
        DecidedAt = now;
        AuthenticatedAt = authenticatedAt;
        return DecisionOutcome.Recorded;
    }

    public DecisionOutcome Deny(Guid userId, DateTimeOffset now)
    {
        var refusal = CheckDecision(userId, now);
        if (refusal is not null)
        {
            return refusal.Value;
        }

        Status = BackchannelRequestStatus.Denied;
        DecidedAt = now;
        return DecisionOutcome.Recorded;
    }

    /// <summary>
    /// A token poll (CIBA Core §10.1, §11) in the order of product.md §6: redeemed, expired,
    /// denied, too soon, pending, approved. Approved requests are redeemed by the poll itself.
    /// </summary>
    public PollOutcome Poll(DateTimeOffset now)
    {
        if (Status == BackchannelRequestStatus.Redeemed)
        {
            return PollOutcome.AlreadyRedeemed;
        }

        if (IsExpired(now))
        {
            return PollOutcome.Expired;
        }

        if (Status == BackchannelRequestStatus.Denied)
        {
            return PollOutcome.Denied;
        }

        var tooSoon = LastPolledAt is { } last && now - last < MinimumPollGap(IntervalSeconds);
        LastPolledAt = now;
        LastPollTooSoon = tooSoon;
        if (tooSoon)
        {
            IntervalSeconds += SlowDownIncrementSeconds;
            return PollOutcome.SlowDown;
        }

        if (Status == BackchannelRequestStatus.Pending)
        {
            return PollOutcome.Pending;
        }

        Status = BackchannelRequestStatus.Redeemed;
        RedeemedAt = now;
        return PollOutcome.Redeemed;
    }

    /// <summary>
    /// CIBA Core §7.3, §11: a client waits <c>interval</c> between polls, but arrival times jitter.
    /// A poll is too soon only when it comes more than the jitter tolerance early: 20 % of the
    /// interval, at most 1 second (ADR 0007).
    /// </summary>
    public static TimeSpan MinimumPollGap(int intervalSeconds)
    {
        var interval = TimeSpan.FromSeconds(intervalSeconds);
        var tolerance = TimeSpan.FromTicks(Math.Min(interval.Ticks / 5, TimeSpan.TicksPerSecond));
        return interval - tolerance;
    }

    private DecisionOutcome? CheckDecision(Guid userId, DateTimeOffset now)
    {
        if (Status != BackchannelRequestStatus.Pending)
        {
            return DecisionOutcome.AlreadyDecided;
        }

        if (IsExpired(now))
        {
            return DecisionOutcome.Expired;
        }

        return userId == UserId ? null : DecisionOutcome.WrongUser;
    }
}
