using System.Globalization;
using System.Security.Claims;
using Ciba.Application.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Identity;

/// <summary>Adds the organization and the moment of authentication to a signed-in person's claims.</summary>
public sealed class CibaUserClaimsPrincipalFactory(
    UserManager<CibaUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<IdentityOptions> options,
    TimeProvider time)
    : UserClaimsPrincipalFactory<CibaUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CibaUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(CibaClaimTypes.OrganizationId, user.OrganizationId.ToString()));
        identity.AddClaim(new Claim(CibaClaimTypes.AuthenticatedAt, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return identity;
    }
}
