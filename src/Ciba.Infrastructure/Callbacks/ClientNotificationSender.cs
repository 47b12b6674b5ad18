using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ciba.Application.Callbacks;
using Ciba.Application.Notifications;
using Ciba.Infrastructure.Notifications;
using Ciba.Infrastructure.Notifications.Senders;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Callbacks;

/// <summary>
/// POSTs one ping or push callback (CIBA Core §10.2, §10.3, §12) to the client's notification
/// endpoint: <c>Authorization: Bearer</c> with the client's token byte for byte, a JSON body, the
/// outbound-safe connection (checked addresses, no redirects), a time limit, and at most
/// <see cref="MaxResponseBytes"/> of the answer read (then dropped). 2xx is delivered; 401 and 403
/// are not retried; 408, 429, 5xx, timeouts and network errors are retried by the outbox.
/// </summary>
public sealed class ClientNotificationSender(
    IHttpClientFactory clients,
    ICallbackProtector protector,
    ICallbackEndpointPolicy endpoints,
    IOptions<NotificationOptions> options,
    TimeProvider time)
{
    public const string HttpClientName = "Ciba.Callbacks";
    public const int MaxResponseBytes = 4096;
    private const string Receiver = "Client notification endpoint";

    public async Task<SendOutcome> SendAsync(string protectedContent)
    {
        CallbackContent content;
        try
        {
            content = protector.UnprotectContent(protectedContent);
        }
        catch (CryptographicException)
        {
            return SendOutcome.Permanent("The callback content cannot be decrypted.");
        }

        if (endpoints.RefusalFor(content.Endpoint) is { } refusal)
        {
            return ProviderHttpFailures.UnsafeUrl(Receiver, refusal);
        }

        var timeout = options.Value.CallbackTimeout;
        using var deadline = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, content.Endpoint)
        {
            Content = new StringContent(content.Body, Encoding.UTF8, "application/json"),
        };

        // CIBA Core §10.2: the token exactly as the client sent it (b64token needs no encoding).
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + content.NotificationToken);
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            await DrainAsync(response, deadline.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 300
                ? SendOutcome.Sent("HTTP " + code.ToString(CultureInfo.InvariantCulture))
                : ProviderHttpFailures.Classify(Receiver, response.StatusCode, response.Headers.RetryAfter, time.GetUtcNow());
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return ProviderHttpFailures.Timeout(Receiver, timeout);
        }
        catch (HttpRequestException exception)
        {
            return ProviderHttpFailures.Unreachable(Receiver, exception);
        }
    }

    // The answer is ignored (CIBA Core §10.2: a 200 body is ignored); a little is read so a small
    // answer can keep the connection, never more.
    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[1024];
        var total = 0;
        int read;
        while (total < MaxResponseBytes && (read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }
    }
}
