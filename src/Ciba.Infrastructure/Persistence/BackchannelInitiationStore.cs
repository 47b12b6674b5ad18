using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Clients;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// The backchannel request's reads: the application from <see cref="IClientApplications"/> (memory,
/// ADR 0031), then one query for the users matching the login hint (at most two, as
/// <see cref="UserDirectory"/> reads them) with their anti-fatigue counts, the organization's limits
/// and its provider kinds.
/// </summary>
internal sealed class BackchannelInitiationStore(CibaDbContext db, IClientApplications applications, TimeProvider time) : IBackchannelInitiationStore
{
    public async Task<BackchannelInitiationLookup> FindAsync(Guid organizationId, string clientId, string? loginHint, CancellationToken cancellationToken)
    {
        var hasHint = loginHint is not null;
        var normalized = hasHint ? LoginHints.Normalize(loginHint!) : string.Empty;
        var phone = hasHint ? LoginHints.Phone(loginHint!) : null;
        var now = time.GetUtcNow();
        var pendingSince = now.AddSeconds(-CibaSettings.MaxExpirySeconds);
        var windowStart = now - AntiFatigueLimits.Window;
        // ADR 0031: the application from memory; the rest in one statement rooted at the organization's row.
        var application = await applications.FindAsync(organizationId, clientId, cancellationToken);
        if (application is null)
        {
            return new BackchannelInitiationLookup(null, null, EmailProviderKind.None, SmsProviderKind.None);
        }

        var applicationId = application.Id;
        var found = await db.Organizations.AsNoTracking()
            .Where(o => o.Id == organizationId)
            .Select(o => new
            {
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
                        Recent = db.BackchannelRequests.Count(r => r.UserId == u.Id && r.CreatedAt > windowStart && r.ApplicationId == applicationId),
                        CooldownUntil = db.RequestReports
                            .Where(r => r.ApplicationId == applicationId && r.UserId == u.Id && r.CooldownUntil > now && r.CooldownEndedAt == null)
                            .Max(r => (DateTimeOffset?)r.CooldownUntil),
                    })
                    .Take(2)
                    .ToList(),
                Limits = new { o.MaxPendingPerUser, o.MaxRequestsPerUserPerClient, o.CooldownMinutes },
                Providers = db.NotificationProviders
                    .Where(p => p.OrganizationId == organizationId)
                    .Select(p => new { p.EmailProvider, p.SmsProvider })
                    .FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new BackchannelInitiationLookup(application, null, EmailProviderKind.None, SmsProviderKind.None);
        }

        var user = hasHint ? LoginHints.Pick(found.Users.Select(u => u.Contact).ToList(), loginHint!) : null;
        var counts = found.Users.FirstOrDefault(u => u.Contact.Id == user?.Id) is { } picked
            ? new AntiFatigueCounts(picked.Pending, picked.Recent, picked.CooldownUntil)
            : AntiFatigueCounts.None;
        return new BackchannelInitiationLookup(
            application,
            user,
            found.Providers?.EmailProvider ?? EmailProviderKind.None,
            found.Providers?.SmsProvider ?? SmsProviderKind.None)
        {
            Limits = new AntiFatigueLimits(found.Limits.MaxPendingPerUser, found.Limits.MaxRequestsPerUserPerClient, found.Limits.CooldownMinutes),
            Counts = counts,
        };
    }

    public async Task SaveAcceptedAsync(CancellationToken cancellationToken)
    {
        // ADR 0031: Npgsql sends EF's batch with one Sync, so it commits or fails as a whole.
        var before = db.Database.AutoTransactionBehavior;
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.Database.AutoTransactionBehavior = before;
        }
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
