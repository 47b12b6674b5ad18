namespace Ciba.Domain.Audit;

/// <summary>Who did what (product.md §14 audit log). Append-only: nothing changes an event once written.</summary>
public sealed class AuditEvent
{
    public const int MaxActorLength = 200;
    public const int MaxSubjectLength = 200;
    public const int MaxActionLength = 64;
    public const int MaxDetailLength = 2000;
    public const int MaxAddressLength = 64;

    private AuditEvent()
    {
        Action = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public AuditActorKind ActorKind { get; private set; }

    /// <summary>The client id, the user name or the administrator's name; null for the system.</summary>
    public string? Actor { get; private set; }

    /// <summary>The person the event is about (the user of an auth request, or the user an administrator changed).</summary>
    public Guid? UserId { get; private set; }

    /// <summary>The application the event is about.</summary>
    public Guid? ApplicationId { get; private set; }

    /// <summary>What the event is about, in words an administrator reads ("application demo-tv", "user alice", a masked recipient).</summary>
    public string? Subject { get; private set; }

    public string Action { get; private set; }

    public AuditOutcome Outcome { get; private set; }

    /// <summary>The error of a refusal or failure, or the fields a console change set (secrets redacted).</summary>
    public string? Detail { get; private set; }

    public string? SourceAddress { get; private set; }

    public static AuditEvent Create(
        Guid organizationId,
        string action,
        AuditOutcome outcome,
        AuditActorKind actorKind,
        string? actor,
        DateTimeOffset now,
        Guid? userId = null,
        Guid? applicationId = null,
        string? subject = null,
        string? detail = null,
        string? sourceAddress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        return new AuditEvent
        {
            Id = Guid.CreateVersion7(now),
            OrganizationId = organizationId,
            OccurredAt = now,
            Action = Clip(action, MaxActionLength)!,
            Outcome = outcome,
            ActorKind = actorKind,
            Actor = Clip(actor, MaxActorLength),
            UserId = userId,
            ApplicationId = applicationId,
            Subject = Clip(subject, MaxSubjectLength),
            Detail = Clip(detail, MaxDetailLength),
            SourceAddress = Clip(sourceAddress, MaxAddressLength),
        };
    }

    private static string? Clip(string? value, int max)
    {
        if (value is null)
        {
            return null;
        }

        var printable = new string(value.Where(c => !char.IsControl(c)).ToArray());
        return printable.Length <= max ? printable : printable[..max];
    }
}

public enum AuditActorKind
{
    System = 0,
    Client = 1,
    User = 2,
    Administrator = 3,
}

public enum AuditOutcome
{
    Succeeded = 0,
    Failed = 1,
    Refused = 2,
}

/// <summary>The actions of product.md §14, as stored in <see cref="AuditEvent.Action"/>.</summary>
public static class AuditActions
{
    public const string BackchannelAccepted = "backchannel.accepted";
    public const string BackchannelRefused = "backchannel.refused";
    public const string MessageSent = "message.sent";
    public const string MessageFailed = "message.failed";
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string RequestApproved = "request.approved";
    public const string RequestDenied = "request.denied";
    public const string RequestReported = "request.reported";
    public const string TokensIssued = "tokens.issued";
    public const string TokensRefreshed = "tokens.refreshed";
    public const string TokenRevoked = "token.revoked";
    public const string CooldownEnded = "cooldown.ended";
    public const string PasskeyAdded = "passkey.added";
    public const string PasskeyRemoved = "passkey.removed";

    /// <summary>Console changes are <c>console.{entity}.{created|updated|deleted}</c>.</summary>
    public const string ConsolePrefix = "console.";

    public static IReadOnlyList<string> Known { get; } =
    [
        BackchannelAccepted, BackchannelRefused, MessageSent, MessageFailed, SignInSucceeded, SignInFailed,
        RequestApproved, RequestDenied, RequestReported, TokensIssued, TokensRefreshed, TokenRevoked, CooldownEnded,
        PasskeyAdded, PasskeyRemoved,
    ];
}
