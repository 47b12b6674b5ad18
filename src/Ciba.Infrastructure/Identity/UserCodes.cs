using Ciba.Application.Accounts.UserCodes;
using Ciba.Domain.Users;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// User codes hashed with ASP.NET Core Identity's password hasher. The wrong-code count moves in one
/// UPDATE each (PostgreSQL evaluates it against the row as it is), so two nodes counting at once
/// never lose a count.
/// </summary>
internal sealed class UserCodes(CibaDbContext db) : IUserCodes
{
    private static readonly PasswordHasher<UserCode> Hasher = new();

    private DbSet<UserCode> Codes => db.Set<UserCode>();

    public async Task<UserCodeVerification> VerifyAsync(Guid userId, string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);

        // The attempt is counted before the code is checked, under the row's lock: guesses sent at
        // the same moment each take one of the five attempts, so a burst of requests cannot check
        // more than five codes before the lock (counting after the check let every request of a
        // burst check its code against the unlocked row). A right code then clears the count.
        var lockUntil = now + UserCode.LockDuration;
        var max = UserCode.MaxFailuresInARow;
        var hashes = await db.Database.SqlQuery<string>($"""
            UPDATE "UserCodes"
            SET "FailedAttempts" = CASE WHEN "FailedAttempts" + 1 >= {max} THEN 0 ELSE "FailedAttempts" + 1 END,
                "LockedUntil" = CASE WHEN "FailedAttempts" + 1 >= {max} THEN {lockUntil} ELSE "LockedUntil" END
            WHERE "UserId" = {userId} AND ("LockedUntil" IS NULL OR "LockedUntil" <= {now})
            RETURNING "Hash" AS "Value"
            """).ToListAsync(cancellationToken);
        if (hashes.Count == 0)
        {
            return await Codes.AnyAsync(c => c.UserId == userId, cancellationToken) ? UserCodeVerification.Locked : UserCodeVerification.NotSet;
        }

        var correct = UserCode.IsValidFormat(code)
            && Hasher.VerifyHashedPassword(null!, hashes[0], code) != PasswordVerificationResult.Failed;
        if (!correct)
        {
            return UserCodeVerification.Wrong;
        }

        await Codes.Where(c => c.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAttempts, 0).SetProperty(c => c.LockedUntil, (DateTimeOffset?)null), cancellationToken);
        return UserCodeVerification.Correct;
    }

    public Task<bool> HasCodeAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken) =>
        Codes.AnyAsync(c => c.UserId == userId && c.OrganizationId == organizationId, cancellationToken);

    public async Task SetAsync(Guid organizationId, Guid userId, string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = Hasher.HashPassword(null!, code);
        var existing = await Codes.SingleOrDefaultAsync(c => c.UserId == userId && c.OrganizationId == organizationId, cancellationToken);
        if (existing is null)
        {
            Codes.Add(UserCode.Create(organizationId, userId, hash, now));
        }
        else
        {
            existing.Change(hash, now);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> ClearAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken)
    {
        var existing = await Codes.SingleOrDefaultAsync(c => c.UserId == userId && c.OrganizationId == organizationId, cancellationToken);
        if (existing is null)
        {
            return false;
        }

        Codes.Remove(existing);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
