using Ciba.Application.Accounts.SignIn;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// Counts sign-in attempts with one upsert: the row is only advanced when its wait is over, so
/// concurrent attempts on any node are counted one by one and none skips the wait.
/// </summary>
internal sealed class SignInThrottleStore(CibaDbContext db) : ISignInThrottle
{
    private static readonly int[] Delays = SignInBackoff.DelayTable();

    public async Task<TimeSpan?> TryBeginAttemptAsync(Guid organizationId, byte[] loginKey, string addressKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var forgetBefore = now - SignInBackoff.ForgetAfter;
        var delays = Delays;
        var counted = await db.Database.SqlQuery<int>($"""
            INSERT INTO "SignInThrottles" AS t ("OrganizationId", "LoginKey", "AddressKey", "Failures", "LastAttemptAt", "NextAttemptAt")
            VALUES ({organizationId}, {loginKey}, {addressKey}, 1, {now}, {now} + make_interval(secs => ({delays}::int[])[1]))
            ON CONFLICT ("OrganizationId", "LoginKey", "AddressKey") DO UPDATE SET
                "Failures" = CASE WHEN t."LastAttemptAt" < {forgetBefore} THEN 1 ELSE t."Failures" + 1 END,
                "LastAttemptAt" = {now},
                "NextAttemptAt" = {now} + make_interval(secs => ({delays}::int[])[
                    LEAST(CASE WHEN t."LastAttemptAt" < {forgetBefore} THEN 1 ELSE t."Failures" + 1 END, cardinality({delays}::int[]))])
            WHERE t."NextAttemptAt" <= {now} OR t."LastAttemptAt" < {forgetBefore}
            RETURNING t."Failures" AS "Value"
            """).ToListAsync(cancellationToken);
        if (counted.Count > 0)
        {
            return null;
        }

        var next = await db.Set<SignInThrottleEntry>().AsNoTracking()
            .Where(t => t.OrganizationId == organizationId && t.LoginKey == loginKey && t.AddressKey == addressKey)
            .Select(t => (DateTimeOffset?)t.NextAttemptAt)
            .SingleOrDefaultAsync(cancellationToken);
        return next is { } at && at > now ? at - now : TimeSpan.FromSeconds(1);
    }

    public Task ClearAsync(Guid organizationId, byte[] loginKey, string addressKey, CancellationToken cancellationToken) =>
        db.Set<SignInThrottleEntry>()
            .Where(t => t.OrganizationId == organizationId && t.LoginKey == loginKey && t.AddressKey == addressKey)
            .ExecuteDeleteAsync(cancellationToken);
}
