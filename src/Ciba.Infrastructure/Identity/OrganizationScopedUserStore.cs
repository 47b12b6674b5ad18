using Ciba.Application.Common.Interfaces;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// Identity's user store confined to the current organization: sign-in, lookups and the
/// uniqueness checks of user names see only that organization's users. With no organization
/// entered, name and email lookups find nobody.
/// </summary>
public sealed partial class OrganizationScopedUserStore(
    CibaDbContext context, IOrganizationContext organization, ISecretProtector secrets, IdentityErrorDescriber? describer = null)
    : UserStore<CibaUser, IdentityRole<Guid>, CibaDbContext, Guid>(context, describer)
{
    private IOrganizationContext Organization => organization;

    public override Task<CibaUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken = default)
    {
        if (organization.OrganizationId is not { } organizationId)
        {
            return Task.FromResult<CibaUser?>(null);
        }

        return Users.SingleOrDefaultAsync(u => u.OrganizationId == organizationId && u.NormalizedUserName == normalizedUserName, cancellationToken);
    }

    public override Task<CibaUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken = default)
    {
        if (organization.OrganizationId is not { } organizationId)
        {
            return Task.FromResult<CibaUser?>(null);
        }

        return Users.FirstOrDefaultAsync(u => u.OrganizationId == organizationId && u.NormalizedEmail == normalizedEmail, cancellationToken);
    }

    public override async Task<IdentityResult> CreateAsync(CibaUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.OrganizationId == Guid.Empty)
        {
            if (organization.OrganizationId is not { } organizationId)
            {
                throw new InvalidOperationException("A user is created inside an organization.");
            }

            user.OrganizationId = organizationId;
        }

        return await base.CreateAsync(user, cancellationToken);
    }
}
