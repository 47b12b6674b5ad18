namespace Ciba.Application.Accounts.UserCodes;

/// <summary>
/// People's user codes (product.md §12), kept as password hashes. The wrong-code count and the lock
/// live in PostgreSQL, so every node sees the same count.
/// </summary>
public interface IUserCodes
{
    /// <summary>
    /// Checks <paramref name="code"/> against the person's code. A wrong code counts one more in a row
    /// (the fifth locks the code for <see cref="Domain.Users.UserCode.LockDuration"/>); a right one resets
    /// the count. While locked, nothing is checked or counted.
    /// </summary>
    Task<UserCodeVerification> VerifyAsync(Guid userId, string code, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> HasCodeAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken);

    /// <summary>Sets or changes the person's code; the wrong-code count and any lock start afresh.</summary>
    Task SetAsync(Guid organizationId, Guid userId, string code, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes the person's code; false when they had none.</summary>
    Task<bool> ClearAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken);
}

public enum UserCodeVerification
{
    NotSet,
    Correct,
    Wrong,
    Locked,
}
