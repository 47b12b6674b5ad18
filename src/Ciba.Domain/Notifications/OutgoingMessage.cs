namespace Ciba.Domain.Notifications;

/// <summary>
/// An outbox row: a message to one recipient, written in the same transaction as its auth
/// request and sent later by the dispatcher. The content (which holds the link key) is kept
/// encrypted in <see cref="ProtectedContent"/> only until the message is sent or given up.
/// </summary>
public sealed class OutgoingMessage
{
    public const int MaxErrorLength = 500;

    /// <summary>The reason recorded when a node claimed the message, never recorded an outcome, and the request expired meanwhile.</summary>
    public const string OrphanedClaimReason = "Orphaned claim: the node that took this message stopped before recording an outcome, and the request expired before it could be sent again.";

    private OutgoingMessage()
    {
        Recipient = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid? BackchannelRequestId { get; private set; }

    public MessageChannel Channel { get; private set; }

    /// <summary>Email address, or mobile number in E.164.</summary>
    public string Recipient { get; private set; }

    public string? ProtectedContent { get; private set; }

    public DeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>After this the message is worthless (its auth request has expired).</summary>
    public DateTimeOffset? NotAfter { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public string? ProviderMessageId { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The token of the dispatcher's current claim (null when unclaimed). Only its holder may record an outcome.</summary>
    public Guid? ClaimId { get; private set; }

    public static OutgoingMessage Create(
        Guid organizationId,
        Guid? backchannelRequestId,
        MessageChannel channel,
        string recipient,
        string protectedContent,
        DateTimeOffset? notAfter,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        ArgumentException.ThrowIfNullOrWhiteSpace(protectedContent);
        return new OutgoingMessage
        {
            Id = Guid.NewGuid(),
            OrganizationId = organizationId,
            BackchannelRequestId = backchannelRequestId,
            Channel = channel,
            Recipient = recipient,
            ProtectedContent = protectedContent,
            Status = DeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            NotAfter = notAfter,
        };
    }

    /// <summary>
    /// Rebuilds a pending message from the row the outbox dispatcher's claim statement returned
    /// (docs/decisions/0034-outbox-batches.md), so its outcome is decided by the methods below.
    /// </summary>
    public static OutgoingMessage Restore(
        Guid id,
        Guid organizationId,
        Guid? backchannelRequestId,
        MessageChannel channel,
        string recipient,
        string? protectedContent,
        int attempts,
        DateTimeOffset createdAt,
        DateTimeOffset nextAttemptAt,
        DateTimeOffset? notAfter,
        Guid claimId) =>
        new()
        {
            Id = id,
            OrganizationId = organizationId,
            BackchannelRequestId = backchannelRequestId,
            Channel = channel,
            Recipient = recipient,
            ProtectedContent = protectedContent,
            Status = DeliveryStatus.Pending,
            Attempts = attempts,
            CreatedAt = createdAt,
            NextAttemptAt = nextAttemptAt,
            NotAfter = notAfter,
            ClaimId = claimId,
        };

    public bool IsWorthless(DateTimeOffset now) => NotAfter is { } notAfter && now >= notAfter;

    public void MarkSent(string? providerMessageId, DateTimeOffset now)
    {
        EnsurePending();
        Attempts++;
        Status = DeliveryStatus.Sent;
        ProviderMessageId = providerMessageId;
        LastError = null;
        Complete(now);
    }

    public void ScheduleRetry(string error, DateTimeOffset nextAttemptAt, DateTimeOffset now)
    {
        EnsurePending();
        Attempts++;
        LastError = Truncate(error);
        NextAttemptAt = nextAttemptAt > now ? nextAttemptAt : now;
        ClaimId = null;
    }

    public void MarkFailed(string error, DateTimeOffset now)
    {
        EnsurePending();
        Attempts++;
        Status = DeliveryStatus.Failed;
        LastError = Truncate(error);
        Complete(now);
    }

    /// <summary>A claim outlived its lease without an outcome and the request has expired since: recorded as its own reason.</summary>
    public void MarkOrphaned(DateTimeOffset now) => MarkSkipped(OrphanedClaimReason, now);

    public void MarkSkipped(string reason, DateTimeOffset now)
    {
        EnsurePending();
        Status = DeliveryStatus.Skipped;
        LastError = Truncate(reason);
        Complete(now);
    }

    private void Complete(DateTimeOffset now)
    {
        CompletedAt = now;
        ClaimId = null;
        ProtectedContent = null;
    }

    private void EnsurePending()
    {
        if (Status != DeliveryStatus.Pending)
        {
            throw new InvalidOperationException($"Message {Id} is {Status}, not pending.");
        }
    }

    private static string Truncate(string error) =>
        error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
}
