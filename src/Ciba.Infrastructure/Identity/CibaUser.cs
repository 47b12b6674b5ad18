using Microsoft.AspNetCore.Identity;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// A person of one organization. The same username may exist in two organizations. The mobile
/// number lives in <see cref="IdentityUser{TKey}.PhoneNumber"/> (E.164) and the email's verified
/// flag in <see cref="IdentityUser{TKey}.EmailConfirmed"/>.
/// </summary>
public sealed class CibaUser : IdentityUser<Guid>
{
    public Guid OrganizationId { get; set; }

    public string? DisplayName { get; set; }
}
