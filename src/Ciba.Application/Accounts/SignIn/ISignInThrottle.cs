namespace Ciba.Application.Accounts.SignIn;

/// <summary>
/// The sign-in attempts counted per organization, login and client address, in PostgreSQL so the
/// count holds across nodes (<see cref="SignInBackoff"/> is the rule).
/// </summary>
public interface ISignInThrottle
{
    /// <summary>
    /// Counts an attempt if the key's wait is over, and returns null; otherwise counts nothing and
    /// returns how long is left to wait. Concurrent attempts are counted one by one.
    /// </summary>
    Task<TimeSpan?> TryBeginAttemptAsync(Guid organizationId, byte[] loginKey, string addressKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets the key's count after a successful sign-in.</summary>
    Task ClearAsync(Guid organizationId, byte[] loginKey, string addressKey, CancellationToken cancellationToken);
}
