using Ciba.Application.Backchannel.Report;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

internal sealed class AdministratorContacts(CibaDbContext db, TimeProvider time) : IAdministratorContacts
{
    public async Task<IReadOnlyList<string>> VerifiedEmailsAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await (
                from user in db.Users
                join membership in db.UserRoles on user.Id equals membership.UserId
                join role in db.Roles on membership.RoleId equals role.Id
                where user.OrganizationId == organizationId && role.Name == Roles.Administrator
                    && user.EmailConfirmed && user.Email != null && (user.LockoutEnd == null || user.LockoutEnd <= now)
                select user.Email!)
            .Distinct()
            .OrderBy(email => email)
            .Take(50)
            .ToListAsync(cancellationToken);
    }
}
