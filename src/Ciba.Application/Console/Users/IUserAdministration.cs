using Ciba.Application.Common.Paging;
using Ciba.Application.Common.Results;

namespace Ciba.Application.Console.Users;

/// <summary>
/// Manages the people of one organization (ASP.NET Core Identity behind it). Identity's refusals
/// (a taken username, a weak password) come back as field errors named after <see cref="UserProfile"/>
/// and <c>Password</c>.
/// </summary>
public interface IUserAdministration
{
    Task<KeysetPage<UserListItem>> SearchAsync(Guid organizationId, string? search, PageRequest page, CancellationToken cancellationToken);

    Task<UserDetails?> FindAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<Guid, string>> GetUserNamesAsync(Guid organizationId, IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken);

    Task<Result<Guid>> CreateAsync(Guid organizationId, UserProfile profile, string password, CancellationToken cancellationToken);

    Task<Result> UpdateAsync(Guid organizationId, Guid userId, UserProfile profile, CancellationToken cancellationToken);

    Task<Result> ResetPasswordAsync(Guid organizationId, Guid userId, string newPassword, CancellationToken cancellationToken);

    /// <summary>Locks the user out until unlocked (and ends their sessions), or lifts the lock.</summary>
    Task<Result> SetLockedAsync(Guid organizationId, Guid userId, bool locked, CancellationToken cancellationToken);
}

/// <summary>What an administrator edits about a person. <paramref name="Mobile"/> is E.164 or null.</summary>
public sealed record UserProfile(
    string UserName,
    string? DisplayName,
    string? Email,
    bool EmailVerified,
    string? Mobile,
    bool IsAdministrator);

public sealed record UserListItem(
    Guid Id,
    string UserName,
    string? DisplayName,
    string? Email,
    bool EmailVerified,
    string? Mobile,
    bool IsAdministrator,
    bool IsLockedOut);

public sealed record UserDetails(
    Guid Id,
    string UserName,
    string? DisplayName,
    string? Email,
    bool EmailVerified,
    string? Mobile,
    bool IsAdministrator,
    bool IsLockedOut,
    DateTimeOffset? LockoutEnd);
