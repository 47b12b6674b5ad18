namespace Ciba.Application.Common.Interfaces;

/// <summary>Reads the people of an organization (ASP.NET Core Identity behind it).</summary>
public interface IUserDirectory
{
    /// <summary>Finds the one user whose username, email or mobile number is <paramref name="loginHint"/>.</summary>
    Task<UserContact?> FindByLoginHintAsync(Guid organizationId, string loginHint, CancellationToken cancellationToken);

    Task<UserContact?> FindByIdAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken);
}

/// <summary>What the protocol needs to know about a person.</summary>
/// <param name="LockoutEnd">Until when an administrator has locked the account (docs/decisions/0012-sessions-and-sign-in-throttling.md).</param>
public sealed record UserContact(
    Guid Id,
    string UserName,
    string? DisplayName,
    string? Email,
    bool EmailVerified,
    string? MobileNumber,
    DateTimeOffset? LockoutEnd = null)
{
    /// <summary>A locked person gets no requests, cannot approve, and their tokens stop working.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockoutEnd is { } end && end > now;
}
