using Ciba.Application.Console.Applications;
using Ciba.Application.Console.Applications.Readiness;
using Ciba.Application.Console.Applications.UpdateProtocol;
using Ciba.Domain.Applications;

namespace Ciba.Web.Console.Applications;

public sealed class NewApplicationViewModel
{
    public string? Name { get; set; }

    public string? Description { get; set; }
}

/// <summary>A tab's form, shown again with the application beside it when saving fails.</summary>
public interface IApplicationTabForm
{
    ApplicationDetails? Application { get; set; }
}

/// <summary>The General tab: the application (read-only parts) and the form's fields.</summary>
public sealed class ApplicationGeneralViewModel : IApplicationTabForm
{
    public ApplicationDetails? Application { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public static ApplicationGeneralViewModel From(ApplicationDetails application) =>
        new() { Application = application, Name = application.Name, Description = application.Description };
}

/// <summary>
/// The Protocol tab. Numbers are kept as typed (strings) so that any input comes back as a field
/// error from the command's validator, never as a binding failure.
/// </summary>
public sealed class ApplicationProtocolViewModel : IApplicationTabForm
{
    /// <summary>Exactly the grants the token endpoint serves (<see cref="Domain.Applications.GrantTypes.Served"/>).</summary>
    public static IReadOnlyList<(string Value, string Label)> GrantTypeChoices { get; } =
        [.. Domain.Applications.GrantTypes.Served.Select(grantType => (grantType, GrantTypeLabels.For(grantType)))];

    public static IReadOnlyList<(string Value, string Label, string Hint)> ChannelChoices { get; } =
    [
        (nameof(NotificationChannels.Email), "Email", "to the user's verified email address"),
        (nameof(NotificationChannels.Sms), "SMS", "to the user's mobile number"),
        (nameof(NotificationChannels.External), "External", "the client delivers the auth_url itself"),
    ];

    public ApplicationDetails? Application { get; set; }

    public List<string> GrantTypes { get; set; } = [];

    public string? ExpirySeconds { get; set; }

    public List<string> Channels { get; set; } = [];

    public string? PollingIntervalSeconds { get; set; }

    /// <summary>Whether each channel can work in the organization, shown next to its checkbox.</summary>
    public ChannelReadiness? Readiness { get; set; }

    /// <summary>The readiness of one channel in words, and whether it can reach anyone now.</summary>
    public (string Text, bool Ready) ReadinessOf(string channel)
    {
        static string People(int count) => count == 1 ? "1 user" : $"{count} users";
        return (channel, Readiness) switch
        {
            (_, null) => (string.Empty, true),
            (nameof(NotificationChannels.Email), { EmailConfigured: false }) => ("Not ready: no email provider is set up (Providers).", false),
            (nameof(NotificationChannels.Email), var r) => ($"Ready: {ProviderName(r.EmailProvider)}; reaches {People(r.UsersWithVerifiedEmail)} with a verified email address.", r.UsersWithVerifiedEmail > 0),
            (nameof(NotificationChannels.Sms), { SmsConfigured: false }) => ("Not ready: no SMS provider is set up (Providers).", false),
            (nameof(NotificationChannels.Sms), var r) => ($"Ready: {ProviderName(r.SmsProvider)}; reaches {People(r.UsersWithMobile)} with a mobile number.", r.UsersWithMobile > 0),
            _ => ("Ready: works for every user; the client delivers the link.", true),
        };
    }

    private static string ProviderName<TKind>(TKind kind) where TKind : struct, Enum => kind.ToString() switch
    {
        "DevelopmentInbox" => "development inbox",
        var name => name,
    };

    public bool HasGrantType(string grantType) => GrantTypes.Contains(grantType, StringComparer.Ordinal);

    public bool HasChannel(string channel) => Channels.Contains(channel, StringComparer.OrdinalIgnoreCase);

    public static ApplicationProtocolViewModel From(ApplicationDetails application) => new()
    {
        Application = application,
        GrantTypes = [.. application.GrantTypes],
        ExpirySeconds = application.CibaSettings.ExpirySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Channels = [.. ProtocolValues.NamesOf(application.CibaSettings.Channels)],
        PollingIntervalSeconds = application.CibaSettings.PollingIntervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public static class GrantTypeLabels
{
    public static string For(string grantType) => grantType switch
    {
        Domain.Applications.GrantTypes.Ciba => "CIBA",
        Domain.Applications.GrantTypes.RefreshToken => "Refresh Token",
        _ => grantType,
    };
}
