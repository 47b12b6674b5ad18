using System.Text.Json;
using System.Text.Json.Serialization;
using Ciba.Application.Notifications;
using Ciba.Domain.Users;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Notifications.Senders;

/// <param name="ApiSecret">The API secret in clear, decrypted just for this send.</param>
/// <param name="BaseUrl">The API host, e.g. <c>https://rest.nexmo.com</c> (or a local fake).</param>
public sealed record VonageSettings(string ApiKey, string ApiSecret, string From, string BaseUrl);

/// <summary>
/// Sends SMS with Vonage's SMS API: one form-encoded <c>POST /sms/json</c>, answered with a status
/// per message part (docs/decisions/0002-vonage-over-rest.md).
/// </summary>
public sealed class VonageSmsSender(HttpClient http, IOptions<NotificationOptions> options, TimeProvider time)
{
    private const string Provider = "Vonage";

    public async Task<SendOutcome> SendAsync(VonageSettings settings, string toE164, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(toE164);
        ArgumentNullException.ThrowIfNull(text);

        // Vonage takes numbers in E.164 without the leading '+'.
        var fields = new List<KeyValuePair<string, string>>
        {
            new("api_key", settings.ApiKey),
            new("api_secret", settings.ApiSecret),
            new("from", PhoneNumber.IsE164(settings.From) ? settings.From[1..] : settings.From),
            new("to", toE164.TrimStart('+')),
            new("text", text),
        };
        if (!Gsm7.CanEncode(text))
        {
            fields.Add(new("type", "unicode"));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.BaseUrl.TrimEnd('/') + "/sms/json"))
        {
            Content = new FormUrlEncodedContent(fields),
        };

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return ProviderHttpFailures.Classify(Provider, response.StatusCode, response.Headers.RetryAfter, time.GetUtcNow());
            }

            return Interpret(await ReadLimitedAsync(response.Content, cancellationToken));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProviderHttpFailures.Timeout(Provider, options.Value.ProviderTimeout);
        }
        catch (HttpRequestException exception)
        {
            return ProviderHttpFailures.Unreachable(Provider, exception);
        }
    }

    private static SendOutcome Interpret(string body)
    {
        VonageResponse? response;
        try
        {
            response = JsonSerializer.Deserialize<VonageResponse>(body);
        }
        catch (JsonException)
        {
            return SendOutcome.Transient("Vonage answered with a body that is not its JSON.");
        }

        if (response?.Messages is not { Count: > 0 } parts)
        {
            return SendOutcome.Transient("Vonage answered without message statuses.");
        }

        var failed = parts.FirstOrDefault(p => p.Status != "0");
        if (failed is null)
        {
            var ids = string.Join(',', parts.Select(p => p.MessageId).Where(id => !string.IsNullOrEmpty(id)));
            return SendOutcome.Sent(ids.Length == 0 ? null : ids[..Math.Min(ids.Length, 200)]);
        }

        // The status code and Vonage's documented meaning, never the answer's own error text.
        var error = $"Vonage status {failed.Status}: {Describe(failed.Status)}";
        return IsTransient(failed.Status) ? SendOutcome.Transient(error) : SendOutcome.Permanent(error);
    }

    /// <summary>
    /// Vonage SMS API status codes (developer.vonage.com/api-errors/sms). Retried: 1 Throttled,
    /// 5 Internal Error, 10 Too Many Existing Binds. Everything else needs a person to change
    /// something (credentials, sender id, number, balance, account), so retrying within a sign-in
    /// request's lifetime cannot help: 2, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15, 22, 23, 29, 32, 33, ….
    /// </summary>
    internal static bool IsTransient(string? status) => status is "1" or "5" or "10";

    private static string Describe(string? status) => status switch
    {
        "1" => "Throttled",
        "2" => "Missing Parameters",
        "3" => "Invalid Parameters",
        "4" => "Invalid Credentials",
        "5" => "Internal Error",
        "6" => "Invalid Message",
        "7" => "Number Barred",
        "8" => "Partner Account Barred",
        "9" => "Partner Quota Violation",
        "10" => "Too Many Existing Binds",
        "11" => "Account Not Enabled For HTTP",
        "12" => "Message Too Long",
        "14" => "Invalid Signature",
        "15" => "Invalid Sender Address",
        "22" => "Invalid Network Code",
        "23" => "Invalid Callback URL",
        "29" => "Non-Whitelisted Destination",
        "32" => "Signature And API Secret Disallowed",
        "33" => "Number De-activated",
        _ => "unknown status",
    };

    // Vonage's answer is a few hundred bytes; anything longer is not Vonage's JSON.
    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        const int Limit = 16 * 1024;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Limit];
        var read = 0;
        int n;
        while (read < Limit && (n = await stream.ReadAsync(buffer.AsMemory(read, Limit - read), cancellationToken)) > 0)
        {
            read += n;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    private sealed record VonageResponse([property: JsonPropertyName("messages")] List<VonageMessagePart>? Messages);

    private sealed record VonageMessagePart(
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("message-id")] string? MessageId);
}
