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
        var stored = await Codes.AsNoTracking()
            .Where(c => c.UserId == userId)
            .Select(c => new { c.Hash, c.LockedUntil })
            .SingleOrDefaultAsync(cancellationToken);
        if (stored is null)
        {
            return UserCodeVerification.NotSet;
        }

        if (stored.LockedUntil is { } until && until > now)
        {
            return UserCodeVerification.Locked;
        }

        var correct = UserCode.IsValidFormat(code)
            && Hasher.VerifyHashedPassword(null!, stored.Hash, code) != PasswordVerificationResult.Failed;
        var unlocked = Codes.Where(c => c.UserId == userId && (c.LockedUntil == null || c.LockedUntil <= now));
        if (correct)
        {
            await unlocked.Where(c => c.FailedAttempts > 0 || c.LockedUntil != null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAttempts, 0).SetProperty(c => c.LockedUntil, (DateTimeOffset?)null), cancellationToken);
            return UserCodeVerification.Correct;
        }

        var lockUntil = now + UserCode.LockDuration;
        await unlocked.ExecuteUpdateAsync(
            s => s
                .SetProperty(c => c.FailedAttempts, c => c.FailedAttempts + 1 >= UserCode.MaxFailuresInARow ? 0 : c.FailedAttempts + 1)
                .SetProperty(c => c.LockedUntil, c => c.FailedAttempts + 1 >= UserCode.MaxFailuresInARow ? lockUntil : c.LockedUntil),
            cancellationToken);
        return UserCodeVerification.Wrong;
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
