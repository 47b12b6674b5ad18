using Ciba.Domain.Authentication;

namespace Ciba.Domain.Applications;

/// <summary>product.md §16: the weakest sign-in the application accepts for an approval.</summary>
public sealed partial class ClientApplication
{
    /// <summary>One of <see cref="AcrLevels.Supported"/>, or null for no minimum beyond signing in.</summary>
    public string? MinimumAcr { get; private set; }

    public void SetMinimumAcr(string? level, DateTimeOffset now)
    {
        if (level is not null && !AcrLevels.IsSupported(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "Not a supported acr level.");
        }

        MinimumAcr = level;
        UpdatedAt = now;
    }
}
