namespace Ciba.Application.Notifications.Providers;

/// <summary>Where the providers' APIs live unless an organization overrides the base URL.</summary>
public static class ProviderDefaults
{
    public const string SendGridBaseUrl = "https://api.sendgrid.com";

    public const string VonageBaseUrl = "https://rest.nexmo.com";

    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
