namespace Ciba.Domain.Users;

/// <summary>
/// A person's user code (CIBA Core §7.1, product.md §12): a PIN only they know, kept as a password
/// hash, with the count of wrong codes in a row and the lock they lead to.
/// </summary>
public sealed class UserCode
{
    public const int MinLength = 4;
    public const int MaxLength = 32;
    public const int MaxFailuresInARow = 5;
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    private UserCode()
    {
        Hash = string.Empty;
    }

    public Guid UserId { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The password hash of the code; the code itself is never stored.</summary>
    public string Hash { get; private set; }

    /// <summary>Wrong codes in a row since the last right one or the last lock.</summary>
    public int FailedAttempts { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>A code is 4 to 32 digits: people type it on a phone keypad and read it to a call centre.</summary>
    public static bool IsValidFormat(string? code) =>
        code is { Length: >= MinLength and <= MaxLength } && code.All(char.IsAsciiDigit);

    public static UserCode Create(Guid organizationId, Guid userId, string hash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hash);
        return new UserCode { OrganizationId = organizationId, UserId = userId, Hash = hash, UpdatedAt = now };
    }

    /// <summary>A new code starts afresh: no wrong codes counted, no lock.</summary>
    public void Change(string hash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hash);
        Hash = hash;
        FailedAttempts = 0;
        LockedUntil = null;
        UpdatedAt = now;
    }

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}
