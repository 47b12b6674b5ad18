using Ciba.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Seeding;

public sealed partial class DemoDataSeeder
{
    /// <summary>product.md §18: alice's user code, set once (a person who already has one keeps theirs).</summary>
    private async Task EnsureUserCodesAsync(Guid organizationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hasher = new PasswordHasher<UserCode>();
        foreach (var (userName, code) in DemoData.UserCodes)
        {
            var user = await users.FindByNameAsync(userName);
            if (user is null || await db.Set<UserCode>().AnyAsync(c => c.UserId == user.Id, cancellationToken))
            {
                continue;
            }

            db.Set<UserCode>().Add(UserCode.Create(organizationId, user.Id, hasher.HashPassword(null!, code), now));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
