namespace Ciba.Domain.Applications;

/// <summary>
/// The rules for a client notification endpoint (CIBA Core §4; product.md §11): an absolute https
/// URL without fragment or user info, at most <see cref="MaxLength"/> characters. Plain http is
/// accepted only where the caller says so (Development loopback, an address the operator allowed).
/// </summary>
public static class ClientNotificationEndpoint
{
    public const int MaxLength = 320;

    /// <summary>Why <paramref name="value"/> cannot be a notification endpoint, or null when it can.</summary>
    /// <param name="plainHttpAllowed">Whether this plain-http URL is acceptable here (asked only for http URLs).</param>
    public static string? Refusal(string? value, Func<Uri, bool> plainHttpAllowed)
    {
        ArgumentNullException.ThrowIfNull(plainHttpAllowed);
        if (string.IsNullOrWhiteSpace(value))
        {
            return "Enter the client notification endpoint: ping and push deliver to it.";
        }

        if (value.Length > MaxLength)
        {
            return $"The client notification endpoint is at most {MaxLength} characters.";
        }

        // On Unix "/path" parses as an absolute file URI: not a URL a client gave.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc || value.Any(char.IsWhiteSpace) || value.Any(char.IsControl))
        {
            return "Enter an absolute URL, like https://client.example.com/ciba/notify.";
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return "The client notification endpoint must not have a fragment (#…).";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The client notification endpoint must not contain user info (user:password@).";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && plainHttpAllowed(uri))
        {
            return null;
        }

        return "The client notification endpoint must be an https URL.";
    }

    /// <summary>Development's plain-http exception: <c>http://127.0.0.1</c>, <c>http://[::1]</c> and <c>http://localhost</c>.</summary>
    public static bool IsLoopbackHttp(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Scheme == Uri.UriSchemeHttp
            && (uri.Host is "127.0.0.1" or "[::1]" || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase));
    }
}
