using Ciba.Application.Console.Applications.Readiness;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>Counts the organization's users with a verified email address and with a mobile number, in one query.</summary>
public sealed class UserReachability(CibaDbContext db) : IUserReachability
{
    public async Task<(int VerifiedEmails, int Mobiles)> CountAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var counts = await db.Users.AsNoTracking()
            .Where(u => u.OrganizationId == organizationId)
            .GroupBy(_ => 1)
            .Select(users => new
            {
                VerifiedEmails = users.Count(u => u.EmailConfirmed && u.Email != null),
                Mobiles = users.Count(u => u.PhoneNumber != null),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return counts is null ? (0, 0) : (counts.VerifiedEmails, counts.Mobiles);
    }
}
