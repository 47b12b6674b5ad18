using Ciba.Application.Audit;
using Ciba.Domain.Audit;
using Ciba.Infrastructure.Persistence;

namespace Ciba.Infrastructure.Audit;

/// <summary>Adds audit events to the request's <see cref="CibaDbContext"/>, so they commit with the change they record.</summary>
internal sealed class AuditTrail(CibaDbContext db, TimeProvider time) : IAuditTrail
{
    public void Record(AuditRecord record) => db.AuditEvents.Add(ToEvent(record));

    public async Task RecordNowAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        db.AuditEvents.Add(ToEvent(record));
        await db.SaveChangesAsync(cancellationToken);
    }

    private AuditEvent ToEvent(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return AuditEvent.Create(
            record.OrganizationId,
            record.Action,
            record.Outcome,
            record.ActorKind,
            record.Actor,
            time.GetUtcNow(),
            record.UserId,
            record.ApplicationId,
            record.Subject,
            record.Detail,
            AuditAmbient.SourceAddress);
    }
}
