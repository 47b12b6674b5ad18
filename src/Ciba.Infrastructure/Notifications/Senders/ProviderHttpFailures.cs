using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Ciba.Application.Notifications;
using Ciba.Infrastructure.Outbound;

namespace Ciba.Infrastructure.Notifications.Senders;

/// <summary>
/// How a provider's unsuccessful answer is classified and worded for the console: a kind (timeout,
/// refused, http 4xx, http 5xx, unsafe address) and a status code, never the response body (an
/// organization's base URL could point at an internal service). Throttling and outages are worth
/// retrying; 401, 403 and the rest of 4xx are not.
/// </summary>
internal static class ProviderHttpFailures
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(10);

    public static SendOutcome Classify(string provider, HttpStatusCode status, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        var code = (int)status;
        var kind = code switch
        {
            >= 500 => "http 5xx",
            >= 400 => "http 4xx",
            >= 300 => "redirect, not followed",
            _ => "unexpected status",
        };
        var error = $"{provider}: {kind} (HTTP {code.ToString(CultureInfo.InvariantCulture)}).";
        var transient = status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || code >= 500;
        return transient ? SendOutcome.Transient(error, RetryAfter(retryAfter, now)) : SendOutcome.Permanent(error);
    }

    public static SendOutcome Timeout(string provider, TimeSpan timeout) =>
        SendOutcome.Transient($"{provider}: timeout (no answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s).");

    public static SendOutcome Unreachable(string provider, HttpRequestException exception)
    {
        if (Find<OutboundAddressRefusedException>(exception) is { } refused)
        {
            return SendOutcome.Permanent($"{provider}: unsafe address ({refused.AddressClass}); not contacted.");
        }

        if (Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return SendOutcome.Transient($"{provider}: refused (connection refused).");
        }

        return SendOutcome.Transient($"{provider}: unreachable ({exception.HttpRequestError}).");
    }

    public static SendOutcome UnsafeUrl(string provider, string reason) =>
        SendOutcome.Permanent($"{provider}: unsafe address ({reason}); not contacted.");

    /// <summary>Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3), capped; null when absent or already past.</summary>
    internal static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };
        if (wait is not { } value || value <= TimeSpan.Zero)
        {
            return null;
        }

        return value < MaxRetryAfter ? value : MaxRetryAfter;
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
