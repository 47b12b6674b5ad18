namespace Ciba.Web.Consent;

public sealed class ConsentViewModel
{
    public required string ApplicationName { get; init; }

    public string? BindingMessage { get; init; }

    /// <summary>The requested scopes in plain words.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public required string ExpiresIn { get; init; }

    /// <summary>Whole seconds left, for the page's countdown.</summary>
    public required int SecondsLeft { get; init; }

    /// <summary>
    /// A short code ("4711", "Code 1234") is shown large to compare character by character; a
    /// sentence (three words or more, or longer than 20 characters) is shown as a message.
    /// </summary>
    public bool BindingMessageIsCode => BindingMessage is { Length: <= 20 } message
        && message.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 2
        && !message.TrimEnd().EndsWith('.');

    public required string UserName { get; init; }

    /// <summary>The application's minimum acr needs a factor the person does not have: deny only (product.md §16).</summary>
    public bool CannotApprove { get; init; }

    /// <summary>Where the person sets up a stronger factor.</summary>
    public string AccountUrl { get; init; } = string.Empty;

    public required string AuthCodeKey { get; init; }

    public required string ApproveUrl { get; init; }

    public required string DenyUrl { get; init; }

    /// <summary>"This wasn't me" (product.md §14).</summary>
    public required string ReportUrl { get; init; }

    /// <summary>Number matching (product.md §14): the code and two decoys in random order, or null when it does not apply.</summary>
    public IReadOnlyList<string>? NumberChoices { get; init; }

    public required string MatchUrl { get; init; }

    /// <summary>When the application asked (shown so the person can tell whether it was them).</summary>
    public DateTimeOffset RequestedAt { get; init; }

    /// <summary>How the request reached the person.</summary>
    public Domain.Applications.NotificationChannels Channels { get; init; }

    public string ChannelText => Channels switch
    {
        Domain.Applications.NotificationChannels.Email => "by email",
        Domain.Applications.NotificationChannels.Sms => "by text message",
        Domain.Applications.NotificationChannels.Email | Domain.Applications.NotificationChannels.Sms => "by email and text message",
        _ => "as a link the application showed or sent you",
    };
}
