using Ciba.Application.Audit;
using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;
using Ciba.Domain.Audit;

namespace Ciba.Application.Backchannel.Protection;

/// <summary>
/// product.md §14 on the backchannel path: the anti-fatigue limits (checked against counts read in
/// the initiation lookup, so no extra round trip on the login_hint path) and the audit of an
/// accepted request (added to the same save as the request).
/// </summary>
internal sealed class BackchannelProtection(IBackchannelInitiationStore store, IAuditTrail audit, TimeProvider time)
{
    /// <summary>403 <c>access_denied</c> naming the limit, or null when the request may go ahead; nothing is stored either way.</summary>
    /// <param name="countsRead">Whether <paramref name="found"/> holds this person's counts (login_hint); otherwise they are read now.</param>
    public async Task<Error?> CheckLimitsAsync(
        BackchannelInitiationLookup found, Guid applicationId, Guid userId, bool countsRead, CancellationToken cancellationToken)
    {
        var counts = countsRead ? found.Counts : await store.CountAsync(applicationId, userId, cancellationToken);
        var refusal = found.Limits.Refusal(counts, time.GetUtcNow());
        return refusal is null ? null : new Error(OAuthErrorCodes.AccessDenied, refusal);
    }

    public void RecordAccepted(Guid organizationId, string clientId, Guid applicationId, Guid userId, NotificationChannels channels) =>
        audit.Record(new AuditRecord(
            organizationId,
            AuditActions.BackchannelAccepted,
            AuditOutcome.Succeeded,
            AuditActorKind.Client,
            clientId,
            userId,
            applicationId,
            Detail: "Channels: " + channels));
}
