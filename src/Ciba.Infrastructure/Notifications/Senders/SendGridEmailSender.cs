using Ciba.Application.Notifications;
using Ciba.Infrastructure.Notifications.Templates;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Ciba.Infrastructure.Notifications.Senders;

/// <param name="ApiKey">The API key in clear, decrypted just for this send.</param>
/// <param name="BaseUrl">The API host, e.g. <c>https://api.sendgrid.com</c> (or the EU host, or a local fake).</param>
public sealed record SendGridSettings(string ApiKey, string FromAddress, string? FromName, string BaseUrl);

/// <summary>Sends email with SendGrid's v3 mail send (<c>POST /v3/mail/send</c>) through the official client.</summary>
public sealed class SendGridEmailSender(IHttpClientFactory httpClients, IOptions<NotificationOptions> options, TimeProvider time)
{
    public const string HttpClientName = "SendGrid";

    private const string Provider = "SendGrid";

    public async Task<SendOutcome> SendAsync(SendGridSettings settings, string to, RenderedEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(email);
        var client = new SendGridClient(
            httpClients.CreateClient(HttpClientName),
            new SendGridClientOptions { ApiKey = settings.ApiKey, Host = settings.BaseUrl.TrimEnd('/') });
        var message = new SendGridMessage
        {
            From = new EmailAddress(settings.FromAddress, settings.FromName),
            Subject = email.Subject,
            PlainTextContent = email.Text,
            HtmlContent = email.Html,
        };
        message.AddTo(new EmailAddress(to));

        try
        {
            var response = await client.SendEmailAsync(message, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                // SendGrid answers 202 Accepted with the message's id in X-Message-Id.
                var id = response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null;
                return SendOutcome.Sent(id);
            }

            return ProviderHttpFailures.Classify(Provider, response.StatusCode, response.Headers?.RetryAfter, time.GetUtcNow());
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
}
