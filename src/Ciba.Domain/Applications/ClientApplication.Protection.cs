namespace Ciba.Domain.Applications;

/// <summary>product.md §14: number matching and the per-application rate limit.</summary>
public sealed partial class ClientApplication
{
    public const int MinRateLimitPerMinute = 1;
    public const int MaxRateLimitPerMinute = 100_000;

    /// <summary>Short-code binding messages are shown among two decoys; the person taps the one on their other device.</summary>
    public bool NumberMatching { get; private set; }

    /// <summary>Requests per minute this application may make to the backchannel and token endpoints together; null is no limit (the default).</summary>
    public int? RateLimitPerMinute { get; private set; }

    public static bool IsValidRateLimit(int? perMinute) => perMinute is null or (>= MinRateLimitPerMinute and <= MaxRateLimitPerMinute);

    public void SetProtection(bool numberMatching, int? rateLimitPerMinute, DateTimeOffset now)
    {
        if (!IsValidRateLimit(rateLimitPerMinute))
        {
            throw new ArgumentOutOfRangeException(nameof(rateLimitPerMinute), rateLimitPerMinute, "A rate limit is 1 to 100,000 requests per minute.");
        }

        NumberMatching = numberMatching;
        RateLimitPerMinute = rateLimitPerMinute;
        UpdatedAt = now;
    }
}
