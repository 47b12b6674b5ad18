using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// One query for the backchannel request: the application, the users matching the login hint
/// (at most two, as <see cref="UserDirectory"/> reads them) and the organization's provider kinds.
/// </summary>
internal sealed class BackchannelInitiationStore(CibaDbContext db) : IBackchannelInitiationStore
{
    public async Task<BackchannelInitiationLookup> FindAsync(Guid organizationId, string clientId, string? loginHint, CancellationToken cancellationToken)
    {
        var hasHint = loginHint is not null;
        var normalized = hasHint ? LoginHints.Normalize(loginHint!) : string.Empty;
        var phone = hasHint ? LoginHints.Phone(loginHint!) : null;
        var found = await db.Applications.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId && a.ClientId == clientId)
            .Select(a => new
            {
                Application = a,
                Users = db.Users
                    .Where(u => hasHint && u.OrganizationId == organizationId
                        && (u.NormalizedUserName == normalized || u.NormalizedEmail == normalized || (phone != null && u.PhoneNumber == phone)))
                    .OrderBy(u => u.Id)
                    .Select(u => new UserContact(u.Id, u.UserName!, u.DisplayName, u.Email, u.EmailConfirmed, u.PhoneNumber, u.LockoutEnd))
                    .Take(2)
                    .ToList(),
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

        return new BackchannelInitiationLookup(
            found.Application,
            hasHint ? LoginHints.Pick(found.Users, loginHint!) : null,
            found.Providers?.EmailProvider ?? EmailProviderKind.None,
            found.Providers?.SmsProvider ?? SmsProviderKind.None);
    }
}
