using Ciba.Domain.Audit;

namespace Ciba.Application.Audit;

/// <summary>
/// Writes audit events (product.md §14). <see cref="Record"/> adds the event to the unit of work,
/// so it commits in the same transaction as the change it records; <see cref="RecordNowAsync"/>
/// writes an event that has no change of its own (a refusal, a failed sign-in). Never pass a
/// secret, token, auth_req_id, link key or password in any field.
/// </summary>
public interface IAuditTrail
{
    void Record(AuditRecord record);

    Task RecordNowAsync(AuditRecord record, CancellationToken cancellationToken);
}

/// <summary>One event to write; the time and the source address are added by the trail.</summary>
public sealed record AuditRecord(
    Guid OrganizationId,
    string Action,
    AuditOutcome Outcome,
    AuditActorKind ActorKind,
    string? Actor,
    Guid? UserId = null,
    Guid? ApplicationId = null,
    string? Subject = null,
    string? Detail = null);
