using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Paging;
using Ciba.Application.Common.Results;
using Ciba.Application.Console.Users;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// The console's user management over Identity's <see cref="UserManager{TUser}"/>. The scope must
/// have entered the organization (the user store's lookups and uniqueness checks see only it).
/// </summary>
public sealed class UserAdministration(
    CibaDbContext db,
    UserManager<CibaUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOrganizationContext organizationContext,
    TimeProvider time) : IUserAdministration
{
    private const string NormalizedAdministratorRole = "ADMINISTRATOR";

    /// <summary>Users by normalized username (then id), read by keyset like every console list.</summary>
    private static readonly KeysetOrder<CibaUser> ByUserName = new(
        users => users.OrderBy(u => u.NormalizedUserName).ThenBy(u => u.Id),
        users => users.OrderByDescending(u => u.NormalizedUserName).ThenByDescending(u => u.Id),
        cursor => u => u.NormalizedUserName!.CompareTo(cursor.Key) < 0 || (u.NormalizedUserName == cursor.Key && u.Id < cursor.Id),
        cursor => u => u.NormalizedUserName!.CompareTo(cursor.Key) > 0 || (u.NormalizedUserName == cursor.Key && u.Id > cursor.Id),
        u => new PageCursor(u.NormalizedUserName ?? string.Empty, u.Id));

    public async Task<KeysetPage<UserListItem>> SearchAsync(Guid organizationId, string? search, PageRequest page, CancellationToken cancellationToken)
    {
        var query = db.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId);
        if (!string.IsNullOrEmpty(search))
        {
            var upper = search.ToUpperInvariant();
            var phone = Domain.Users.PhoneNumber.NormalizeToE164(search) ?? search;
            query = query.Where(u => u.NormalizedUserName!.Contains(upper)
                || u.NormalizedEmail!.Contains(upper)
                || u.PhoneNumber!.Contains(phone));
        }

        var users = await query.ReadPageAsync(page, ByUserName, cancellationToken);
        var administrators = await AdministratorsAmongAsync(users.Items.Select(u => u.Id).ToList(), cancellationToken);
        var now = time.GetUtcNow();
        var items = users.Items
            .Select(u => new UserListItem(
                u.Id,
                u.UserName!,
                u.DisplayName,
                u.Email,
                u.EmailConfirmed,
                u.PhoneNumber,
                administrators.Contains(u.Id),
                u.LockoutEnd != null && u.LockoutEnd > now))
            .ToList();
        return new KeysetPage<UserListItem>(items, users.Newer, users.Older, users.Count);
    }

    private async Task<HashSet<Guid>> AdministratorsAmongAsync(IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken)
    {
        var administratorRoleId = await AdministratorRoleIdAsync(cancellationToken);
        return [.. await db.UserRoles.AsNoTracking()
            .Where(r => r.RoleId == administratorRoleId && userIds.Contains(r.UserId))
            .Select(r => r.UserId)
            .ToListAsync(cancellationToken)];
    }

    public async Task<UserDetails?> FindAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken)
    {
        var user = await FindUserAsync(organizationId, userId);
        if (user is null)
        {
            return null;
        }

        return new UserDetails(
            user.Id,
            user.UserName!,
            user.DisplayName,
            user.Email,
            user.EmailConfirmed,
            user.PhoneNumber,
            await users.IsInRoleAsync(user, Roles.Administrator),
            user.LockoutEnd is { } end && end > time.GetUtcNow(),
            user.LockoutEnd);
    }

    public async Task<IReadOnlyDictionary<Guid, string>> GetUserNamesAsync(Guid organizationId, IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking()
            .Where(u => u.OrganizationId == organizationId && userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.UserName!, cancellationToken);

    public async Task<Result<Guid>> CreateAsync(Guid organizationId, UserProfile profile, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        EnsureOrganization(organizationId);
        var user = new CibaUser { OrganizationId = organizationId };
        Apply(user, profile);
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return ToError(created);
        }

        if (profile.IsAdministrator)
        {
            await EnsureAdministratorRoleAsync();
            ThrowIfFailed(await users.AddToRoleAsync(user, Roles.Administrator));
        }

        return user.Id;
    }

    public async Task<Result> UpdateAsync(Guid organizationId, Guid userId, UserProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        EnsureOrganization(organizationId);
        var user = await FindUserAsync(organizationId, userId);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        var contactChanged = !string.Equals(user.Email, profile.Email, StringComparison.Ordinal)
            || !string.Equals(user.PhoneNumber, profile.Mobile, StringComparison.Ordinal)
            || !string.Equals(user.UserName, profile.UserName, StringComparison.Ordinal);
        Apply(user, profile);
        if (contactChanged)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            return ToError(updated);
        }

        var isAdministrator = await users.IsInRoleAsync(user, Roles.Administrator);
        if (profile.IsAdministrator && !isAdministrator)
        {
            await EnsureAdministratorRoleAsync();
            ThrowIfFailed(await users.AddToRoleAsync(user, Roles.Administrator));
        }
        else if (!profile.IsAdministrator && isAdministrator)
        {
            ThrowIfFailed(await users.RemoveFromRoleAsync(user, Roles.Administrator));
        }

        // A role change ends the person's sessions: the next request re-checks the stamp (ADR 0012).
        if (profile.IsAdministrator != isAdministrator)
        {
            ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
        }

        return Result.Success;
    }

    public async Task<Result> ResetPasswordAsync(Guid organizationId, Guid userId, string newPassword, CancellationToken cancellationToken)
    {
        EnsureOrganization(organizationId);
        var user = await FindUserAsync(organizationId, userId);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        // Resetting the password also renews the security stamp, which ends the person's sessions.
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        return reset.Succeeded ? Result.Success : ToError(reset);
    }

    public async Task<Result> SetLockedAsync(Guid organizationId, Guid userId, bool locked, CancellationToken cancellationToken)
    {
        EnsureOrganization(organizationId);
        var user = await FindUserAsync(organizationId, userId);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        if (locked)
        {
            ThrowIfFailed(await users.SetLockoutEnabledAsync(user, true));
            ThrowIfFailed(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
            ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
        }
        else
        {
            ThrowIfFailed(await users.SetLockoutEndDateAsync(user, null));
        }

        return Result.Success;
    }

    /// <summary>Identity's error codes, mapped to the form fields they belong to.</summary>
    internal static Error ToError(IdentityResult result) =>
        Error.Validation(result.Errors.Select(e => new FieldError(FieldOf(e.Code), e.Description)).ToList());

    private static string FieldOf(string identityErrorCode) => identityErrorCode switch
    {
        _ when identityErrorCode.StartsWith("Password", StringComparison.Ordinal) => "Password",
        _ when identityErrorCode.Contains("UserName", StringComparison.Ordinal) => nameof(UserProfile.UserName),
        _ when identityErrorCode.Contains("Email", StringComparison.Ordinal) => nameof(UserProfile.Email),
        _ => string.Empty,
    };

    private static void Apply(CibaUser user, UserProfile profile)
    {
        user.UserName = profile.UserName;
        user.DisplayName = profile.DisplayName;
        user.Email = profile.Email;
        user.EmailConfirmed = profile.EmailVerified;
        user.PhoneNumber = profile.Mobile;
        user.PhoneNumberConfirmed = profile.Mobile is not null;
    }

    private static void ThrowIfFailed(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Identity refused: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    private async Task<CibaUser?> FindUserAsync(Guid organizationId, Guid userId)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        return user?.OrganizationId == organizationId ? user : null;
    }

    private Task<Guid> AdministratorRoleIdAsync(CancellationToken cancellationToken) =>
        db.Roles.Where(r => r.NormalizedName == NormalizedAdministratorRole).Select(r => r.Id).SingleOrDefaultAsync(cancellationToken);

    private async Task EnsureAdministratorRoleAsync()
    {
        if (!await roles.RoleExistsAsync(Roles.Administrator))
        {
            ThrowIfFailed(await roles.CreateAsync(new IdentityRole<Guid>(Roles.Administrator)));
        }
    }

    private void EnsureOrganization(Guid organizationId)
    {
        if (organizationContext.OrganizationId != organizationId)
        {
            throw new InvalidOperationException("User administration acts inside the organization the scope has entered.");
        }
    }
}
