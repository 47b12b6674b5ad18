using Ciba.Domain.Notifications;

namespace Ciba.Application.Notifications;

public enum SendOutcomeKind
{
    Sent = 1,

    /// <summary>Worth trying again later: timeouts, throttling, provider outages.</summary>
    Transient = 2,

    /// <summary>Trying again cannot help: bad credentials, a rejected recipient, no provider.</summary>
    Permanent = 3,
}

/// <summary>What a provider made of one message.</summary>
public sealed record SendOutcome
{
    private SendOutcome(SendOutcomeKind kind, string? providerMessageId, string? error, TimeSpan? retryAfter = null, DevelopmentInboxMessage? inboxMessage = null)
    {
        Kind = kind;
        ProviderMessageId = providerMessageId;
        Error = error;
        RetryAfter = retryAfter;
        InboxMessage = inboxMessage;
    }

    public SendOutcomeKind Kind { get; }

    /// <summary>The provider's id of the accepted message (when <see cref="Kind"/> is Sent), if it gave one.</summary>
    public string? ProviderMessageId { get; }

    /// <summary>Why it failed, in words fit for the console: a classification and a status code, never a response body.</summary>
    public string? Error { get; }

    /// <summary>How long the provider asked us to wait (<c>Retry-After</c> on 429 or 503).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// A development inbox "delivery": the message to store, saved by the dispatcher in the same
    /// transaction as the outcome, so it is stored exactly once.
    /// </summary>
    public DevelopmentInboxMessage? InboxMessage { get; }

    public static SendOutcome Sent(string? providerMessageId) => new(SendOutcomeKind.Sent, providerMessageId, null);

    public static SendOutcome StoredInInbox(DevelopmentInboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(SendOutcomeKind.Sent, "inbox-" + message.Id.ToString("N", System.Globalization.CultureInfo.InvariantCulture), null, inboxMessage: message);
    }

    public static SendOutcome Transient(string error, TimeSpan? retryAfter = null) => new(SendOutcomeKind.Transient, null, error, retryAfter);

    public static SendOutcome Permanent(string error) => new(SendOutcomeKind.Permanent, null, error);
}
