namespace Ciba.Domain.Protection;

/// <summary>
/// product.md §14: a person said an auth request was not theirs ("This wasn't me", or a wrong pick
/// in number matching). Blocks the application from sending that person requests until the
/// cooldown ends, or an administrator ends it.
/// </summary>
public sealed class RequestReport
{
    public const int MaxEndedByLength = 256;

    private RequestReport()
    {
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ApplicationId { get; private set; }

    public Guid UserId { get; private set; }

    public Guid? BackchannelRequestId { get; private set; }

    public ReportReason Reason { get; private set; }

    public DateTimeOffset ReportedAt { get; private set; }

    public DateTimeOffset CooldownUntil { get; private set; }

    public DateTimeOffset? CooldownEndedAt { get; private set; }

    public string? CooldownEndedBy { get; private set; }

    public static RequestReport Create(
        Guid organizationId, Guid applicationId, Guid userId, Guid? backchannelRequestId, ReportReason reason, TimeSpan cooldown, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrganizationId = organizationId,
        ApplicationId = applicationId,
        UserId = userId,
        BackchannelRequestId = backchannelRequestId,
        Reason = reason,
        ReportedAt = now,
        CooldownUntil = now + cooldown,
    };

    public bool BlocksAt(DateTimeOffset now) => CooldownEndedAt is null && CooldownUntil > now;

    /// <summary>An administrator ends the cooldown early; false when it was already over.</summary>
    public bool EndCooldown(string endedBy, DateTimeOffset now)
    {
        if (!BlocksAt(now))
        {
            return false;
        }

        CooldownEndedAt = now;
        CooldownEndedBy = endedBy.Length <= MaxEndedByLength ? endedBy : endedBy[..MaxEndedByLength];
        return true;
    }
}

public enum ReportReason
{
    NotMe = 0,
    WrongNumber = 1,
}
