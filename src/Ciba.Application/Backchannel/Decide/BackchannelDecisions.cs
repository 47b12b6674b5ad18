using Ciba.Application.Callbacks;
using Ciba.Application.Audit;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Domain.Audit;
using Ciba.Domain.Backchannel;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Backchannel.Decide;

/// <summary>
/// Finds an auth request by its link key and records a decision on it. A poll may update the same
/// row at the same moment; the row version makes one of them retry against fresh state. A ping or
/// push request's callback is written to the outbox in the same transaction as the decision.
/// </summary>
internal sealed class BackchannelDecisions(IApplicationDbContext db, BackchannelCallbacks callbacks, IAuditTrail audit, TimeProvider time)
{
    private const int MaxAttempts = 3;

    public async Task<Result> DecideAsync(
        Guid organizationId,
        string linkKey,
        Func<BackchannelAuthenticationRequest, DecisionOutcome> decide,
        CancellationToken cancellationToken,
        Action<BackchannelAuthenticationRequest>? alongside = null)
    {
        if (string.IsNullOrEmpty(linkKey))
        {
            return Error.NotFound("The request");
        }

        var hash = SecretHashing.HashToken(linkKey);
        var authRequest = await db.BackchannelRequests
            .SingleOrDefaultAsync(r => r.OrganizationId == organizationId && r.LinkKeyHash == hash, cancellationToken);
        if (authRequest is null)
        {
            return Error.NotFound("The request");
        }

        var recorded = false;
        for (var attempt = 1; ; attempt++)
        {
            var outcome = decide(authRequest);
            if (outcome != DecisionOutcome.Recorded)
            {
                return ToError(outcome);
            }

            if (!recorded)
            {
                // Added once: after a conflict the event is still waiting in the unit of work.
                recorded = true;
                var action = authRequest.Status == BackchannelRequestStatus.Approved ? AuditActions.RequestApproved : AuditActions.RequestDenied;
                audit.Record(new AuditRecord(
                    organizationId, action, AuditOutcome.Succeeded, AuditActorKind.User, null, authRequest.UserId, authRequest.ApplicationId));
                alongside?.Invoke(authRequest);
            }

            var callback = await callbacks.EnqueueOnDecisionAsync(authRequest, time.GetUtcNow(), cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return Result.Success;
            }
            catch (DbUpdateConcurrencyException conflict) when (attempt < MaxAttempts)
            {
                if (callback is not null)
                {
                    db.OutgoingMessages.Remove(callback);
                }

                foreach (var entry in conflict.Entries)
                {
                    await entry.ReloadAsync(cancellationToken);
                }
            }
        }
    }

    private static Error ToError(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Expired => new Error(ErrorCodes.LinkExpired, "The request has expired."),
        DecisionOutcome.AlreadyDecided => new Error(ErrorCodes.AlreadyDecided, "The request was already decided."),
        DecisionOutcome.WrongUser => new Error(ErrorCodes.WrongUser, "The request is for another account."),
        DecisionOutcome.NotStrongEnough => new Error(ErrorCodes.StrongerSignInNeeded, "This application needs a stronger sign-in before the request can be approved."),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
