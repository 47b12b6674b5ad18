using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// One query for the backchannel request: the application, the users matching the login hint
/// (at most two, as <see cref="UserDirectory"/> reads them) and the organization's provider kinds.
/// </summary>
internal sealed class BackchannelInitiationStore(CibaDbContext db, TimeProvider time) : IBackchannelInitiationStore
{
    public async Task<BackchannelInitiationLookup> FindAsync(Guid organizationId, string clientId, string? loginHint, CancellationToken cancellationToken)
    {
        var hasHint = loginHint is not null;
        var normalized = hasHint ? LoginHints.Normalize(loginHint!) : string.Empty;
        var phone = hasHint ? LoginHints.Phone(loginHint!) : null;
        var now = time.GetUtcNow();
        var pendingSince = now.AddSeconds(-CibaSettings.MaxExpirySeconds);
        var windowStart = now - AntiFatigueLimits.Window;
        var found = await db.Applications.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId && a.ClientId == clientId)
            .Select(a => new
            {
                Application = a,
                Users = db.Users
                    .Where(u => hasHint && u.OrganizationId == organizationId
                        && (u.NormalizedUserName == normalized || u.NormalizedEmail == normalized || (phone != null && u.PhoneNumber == phone)))
                    .OrderBy(u => u.Id)
                    .Select(u => new
                    {
                        Contact = new UserContact(u.Id, u.UserName!, u.DisplayName, u.Email, u.EmailConfirmed, u.PhoneNumber, u.LockoutEnd),

                        // product.md §14 limits, in the same statement: one range scan of (UserId, CreatedAt).
                        Pending = db.BackchannelRequests.Count(r => r.UserId == u.Id && r.CreatedAt > pendingSince
                            && r.Status == BackchannelRequestStatus.Pending && r.ExpiresAt > now),
                        Recent = db.BackchannelRequests.Count(r => r.UserId == u.Id && r.CreatedAt > windowStart && r.ApplicationId == a.Id),
                        CooldownUntil = db.RequestReports
                            .Where(r => r.ApplicationId == a.Id && r.UserId == u.Id && r.CooldownUntil > now && r.CooldownEndedAt == null)
                            .Max(r => (DateTimeOffset?)r.CooldownUntil),
                    })
                    .Take(2)
                    .ToList(),
                Limits = db.Organizations
                    .Where(o => o.Id == organizationId)
                    .Select(o => new { o.MaxPendingPerUser, o.MaxRequestsPerUserPerClient, o.CooldownMinutes })
                    .FirstOrDefault(),
                Providers = db.NotificationProviders
                    .Where(p => p.OrganizationId == organizationId)
                    .Select(p => new { p.EmailProvider, p.SmsProvider })
                    .FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new BackchannelInitiationLookup(null, null, EmailProviderKind.None, SmsProviderKind.None);
        }

        var user = hasHint ? LoginHints.Pick(found.Users.Select(u => u.Contact).ToList(), loginHint!) : null;
        var counts = found.Users.FirstOrDefault(u => u.Contact.Id == user?.Id) is { } picked
            ? new AntiFatigueCounts(picked.Pending, picked.Recent, picked.CooldownUntil)
            : AntiFatigueCounts.None;
        return new BackchannelInitiationLookup(
            found.Application,
            user,
            found.Providers?.EmailProvider ?? EmailProviderKind.None,
            found.Providers?.SmsProvider ?? SmsProviderKind.None)
        {
            Limits = found.Limits is { } limits
                ? new AntiFatigueLimits(limits.MaxPendingPerUser, limits.MaxRequestsPerUserPerClient, limits.CooldownMinutes)
                : AntiFatigueLimits.Default,
            Counts = counts,
        };
    }

    public async Task<AntiFatigueCounts> CountAsync(Guid applicationId, Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pendingSince = now.AddSeconds(-CibaSettings.MaxExpirySeconds);
        var windowStart = now - AntiFatigueLimits.Window;
        var counts = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                Pending = db.BackchannelRequests.Count(r => r.UserId == u.Id && r.CreatedAt > pendingSince
                    && r.Status == BackchannelRequestStatus.Pending && r.ExpiresAt > now),
                Recent = db.BackchannelRequests.Count(r => r.UserId == u.Id && r.CreatedAt > windowStart && r.ApplicationId == applicationId),
                CooldownUntil = db.RequestReports
                    .Where(r => r.ApplicationId == applicationId && r.UserId == u.Id && r.CooldownUntil > now && r.CooldownEndedAt == null)
                    .Max(r => (DateTimeOffset?)r.CooldownUntil),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return counts is null ? AntiFatigueCounts.None : new AntiFatigueCounts(counts.Pending, counts.Recent, counts.CooldownUntil);
    }
}
