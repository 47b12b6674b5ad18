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
    private SendOutcome(SendOutcomeKind kind, string? providerMessageId, string? error)
    {
        Kind = kind;
        ProviderMessageId = providerMessageId;
        Error = error;
    }

    public SendOutcomeKind Kind { get; }

    /// <summary>The provider's id of the accepted message (when <see cref="Kind"/> is Sent), if it gave one.</summary>
    public string? ProviderMessageId { get; }

    /// <summary>Why it failed, in words fit for the console (no secrets, no message content).</summary>
    public string? Error { get; }

    public static SendOutcome Sent(string? providerMessageId) => new(SendOutcomeKind.Sent, providerMessageId, null);

    public static SendOutcome Transient(string error) => new(SendOutcomeKind.Transient, null, error);

    public static SendOutcome Permanent(string error) => new(SendOutcomeKind.Permanent, null, error);
}
