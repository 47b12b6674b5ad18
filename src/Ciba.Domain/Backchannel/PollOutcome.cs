namespace Ciba.Domain.Backchannel;

/// <summary>What a token poll finds, in the order of product.md §6.</summary>
public enum PollOutcome
{
    /// <summary>Approved and now redeemed: issue tokens.</summary>
    Redeemed,

    /// <summary>Already redeemed (single use).</summary>
    AlreadyRedeemed,
    Expired,
    Denied,

    /// <summary>Polled sooner than the interval; the interval has grown by <see cref="BackchannelAuthenticationRequest.SlowDownIncrementSeconds"/>.</summary>
    SlowDown,
    Pending,
}
