namespace Ciba.Domain.Applications;

/// <summary>
/// How an application's refresh tokens live (product.md §13): an absolute lifetime counted from
/// the grant, an idle lifetime counted from the last use, and whether one is issued even when
/// <c>offline_access</c> was not asked for.
/// </summary>
public sealed record RefreshTokenSettings
{
    public const int DefaultAbsoluteLifetimeSeconds = 30 * 86_400;
    public const int DefaultIdleLifetimeSeconds = 14 * 86_400;
    public const int MinLifetimeSeconds = 60;
    public const int MaxLifetimeSeconds = 365 * 86_400;

    private RefreshTokenSettings(int absoluteLifetimeSeconds, int idleLifetimeSeconds, bool alwaysIssue)
    {
        AbsoluteLifetimeSeconds = absoluteLifetimeSeconds;
        IdleLifetimeSeconds = idleLifetimeSeconds;
        AlwaysIssue = alwaysIssue;
    }

    public int AbsoluteLifetimeSeconds { get; }

    public int IdleLifetimeSeconds { get; }

    /// <summary>Issue a refresh token with every CIBA grant, whether or not <c>offline_access</c> was requested.</summary>
    public bool AlwaysIssue { get; }

    public static RefreshTokenSettings Default { get; } = new(DefaultAbsoluteLifetimeSeconds, DefaultIdleLifetimeSeconds, false);

    public static bool IsValidLifetime(int seconds) => seconds is >= MinLifetimeSeconds and <= MaxLifetimeSeconds;

    public static RefreshTokenSettings Create(int absoluteLifetimeSeconds, int idleLifetimeSeconds, bool alwaysIssue)
    {
        if (!IsValidLifetime(absoluteLifetimeSeconds) || !IsValidLifetime(idleLifetimeSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(absoluteLifetimeSeconds), $"Lifetimes are {MinLifetimeSeconds} to {MaxLifetimeSeconds} seconds.");
        }

        if (idleLifetimeSeconds > absoluteLifetimeSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(idleLifetimeSeconds), "The idle lifetime is at most the absolute lifetime.");
        }

        return new RefreshTokenSettings(absoluteLifetimeSeconds, idleLifetimeSeconds, alwaysIssue);
    }
}
