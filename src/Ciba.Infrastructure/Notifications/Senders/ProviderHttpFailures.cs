using System.Globalization;
using System.Net;
using Ciba.Application.Notifications;

namespace Ciba.Infrastructure.Notifications.Senders;

/// <summary>How a provider's unsuccessful HTTP answer is classified: throttling and outages are worth retrying, the rest is not.</summary>
internal static class ProviderHttpFailures
{
    private const int MaxBodyExcerpt = 200;

    public static SendOutcome Classify(string provider, HttpStatusCode status, string? body)
    {
        var code = (int)status;
        var error = $"{provider} answered HTTP {code.ToString(CultureInfo.InvariantCulture)}{Excerpt(body)}";
        var transient = status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || code >= 500;
        return transient ? SendOutcome.Transient(error) : SendOutcome.Permanent(error);
    }

    public static SendOutcome Timeout(string provider, TimeSpan timeout) =>
        SendOutcome.Transient($"{provider} did not answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");

    public static SendOutcome Unreachable(string provider, HttpRequestException exception) =>
        SendOutcome.Transient($"{provider} could not be reached ({exception.HttpRequestError}).");

    private static string Excerpt(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return ".";
        }

        var flat = body.ReplaceLineEndings(" ").Trim();
        return ": " + (flat.Length <= MaxBodyExcerpt ? flat : flat[..MaxBodyExcerpt] + "…");
    }
}
