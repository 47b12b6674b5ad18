using Ciba.Application.Common.Interfaces;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>Reads users for the protocol with one indexed query, without Identity's managers.</summary>
public sealed class UserDirectory(CibaDbContext db) : IUserDirectory
{
    public async Task<UserContact?> FindByLoginHintAsync(Guid organizationId, string loginHint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loginHint);
        var normalized = LoginHints.Normalize(loginHint);
        var phone = LoginHints.Phone(loginHint);
        var matches = await db.Users.AsNoTracking()
            .Where(u => u.OrganizationId == organizationId
                && (u.NormalizedUserName == normalized || u.NormalizedEmail == normalized || (phone != null && u.PhoneNumber == phone)))
            .OrderBy(u => u.Id)
            .Select(u => new UserContact(u.Id, u.UserName!, u.DisplayName, u.Email, u.EmailConfirmed, u.PhoneNumber, u.LockoutEnd))
            .Take(2)
            .ToListAsync(cancellationToken);

        return LoginHints.Pick(matches, loginHint);
    }

    public Task<UserContact?> FindByIdAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking()
            .Where(u => u.OrganizationId == organizationId && u.Id == userId)
            .Select(u => new UserContact(u.Id, u.UserName!, u.DisplayName, u.Email, u.EmailConfirmed, u.PhoneNumber, u.LockoutEnd))
            .SingleOrDefaultAsync(cancellationToken);
}
