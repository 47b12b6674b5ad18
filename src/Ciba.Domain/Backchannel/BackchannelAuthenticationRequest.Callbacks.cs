using Ciba.Domain.Applications;

namespace Ciba.Domain.Backchannel;

/// <summary>
/// Ping and push (CIBA Core §10.2, §10.3): what the callback needs (the <c>auth_req_id</c>, the
/// <c>client_notification_token</c>, the endpoint) is kept encrypted until the request ends, then
/// handed to the outbox once and forgotten.
/// </summary>
public sealed partial class BackchannelAuthenticationRequest
{
    /// <summary>The client's delivery mode when the request was made.</summary>
    public TokenDeliveryMode DeliveryMode { get; private set; }

    /// <summary>The encrypted callback details; null in poll mode and once handed over or forgotten.</summary>
    public string? ProtectedCallback { get; private set; }

    public void AttachCallback(TokenDeliveryMode mode, string protectedCallback)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(protectedCallback);
        if (mode == TokenDeliveryMode.Poll || Status != BackchannelRequestStatus.Pending)
        {
            throw new InvalidOperationException("Only a pending ping or push request has a callback.");
        }

        DeliveryMode = mode;
        ProtectedCallback = protectedCallback;
    }

    /// <summary>Hands the callback details over (to the outbox) and forgets them here; null when there are none.</summary>
    public string? TakeCallback()
    {
        var callback = ProtectedCallback;
        ProtectedCallback = null;
        return callback;
    }

    /// <summary>
    /// CIBA Core §10.3: in push mode the approval itself delivers the tokens, so the grant is consumed
    /// when the push is written (it can never be redeemed at the token endpoint).
    /// </summary>
    public void ConsumeForPush(DateTimeOffset now)
    {
        if (DeliveryMode != TokenDeliveryMode.Push || Status != BackchannelRequestStatus.Approved)
        {
            throw new InvalidOperationException("Only an approved push request is delivered by push.");
        }

        Status = BackchannelRequestStatus.Redeemed;
        RedeemedAt = now;
    }

    /// <summary>Pending past its expiry with callback details still held (for the expiry sweep).</summary>
    public bool HasExpiredCallback(DateTimeOffset now) => Status == BackchannelRequestStatus.Pending && IsExpired(now) && ProtectedCallback is not null;
}
