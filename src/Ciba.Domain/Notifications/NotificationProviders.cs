namespace Ciba.Domain.Notifications;

/// <summary>
/// An organization's email and SMS providers. Secrets arrive here already encrypted
/// (<c>Protected…</c>); the domain never sees them in clear.
/// </summary>
public sealed class NotificationProviders
{
    private NotificationProviders()
    {
    }

    public Guid OrganizationId { get; private set; }

    public EmailProviderKind EmailProvider { get; private set; }

    public string? SendGridProtectedApiKey { get; private set; }

    public string? SendGridFromAddress { get; private set; }

    public string? SendGridFromName { get; private set; }

    public string? SendGridBaseUrl { get; private set; }

    public SmsProviderKind SmsProvider { get; private set; }

    public string? VonageApiKey { get; private set; }

    public string? VonageProtectedApiSecret { get; private set; }

    public string? VonageFrom { get; private set; }

    public string? VonageBaseUrl { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool CanSendEmail => EmailProvider != EmailProviderKind.None;

    public bool CanSendSms => SmsProvider != SmsProviderKind.None;

    public static NotificationProviders CreateFor(Guid organizationId, DateTimeOffset now) =>
        new() { OrganizationId = organizationId, UpdatedAt = now };

    public void UseEmailDevelopmentInbox(DateTimeOffset now) => SetEmail(EmailProviderKind.DevelopmentInbox, now);

    public void DisableEmail(DateTimeOffset now) => SetEmail(EmailProviderKind.None, now);

    /// <param name="protectedApiKey">The encrypted API key, or null to keep the stored one.</param>
    public void UseSendGrid(string? protectedApiKey, string fromAddress, string? fromName, string? baseUrl, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fromAddress);
        var apiKey = protectedApiKey ?? SendGridProtectedApiKey;
        if (string.IsNullOrEmpty(apiKey))
        {
            throw new InvalidOperationException("SendGrid needs an API key.");
        }

        SendGridProtectedApiKey = apiKey;
        SendGridFromAddress = fromAddress.Trim();
        SendGridFromName = string.IsNullOrWhiteSpace(fromName) ? null : fromName.Trim();
        SendGridBaseUrl = string.IsNullOrWhiteSpace(baseUrl) ? null : baseUrl.Trim();
        SetEmail(EmailProviderKind.SendGrid, now);
    }

    public void UseSmsDevelopmentInbox(DateTimeOffset now) => SetSms(SmsProviderKind.DevelopmentInbox, now);

    public void DisableSms(DateTimeOffset now) => SetSms(SmsProviderKind.None, now);

    /// <param name="protectedApiSecret">The encrypted API secret, or null to keep the stored one.</param>
    public void UseVonage(string apiKey, string? protectedApiSecret, string from, string? baseUrl, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        var secret = protectedApiSecret ?? VonageProtectedApiSecret;
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException("Vonage needs an API secret.");
        }

        VonageApiKey = apiKey.Trim();
        VonageProtectedApiSecret = secret;
        VonageFrom = from.Trim();
        VonageBaseUrl = string.IsNullOrWhiteSpace(baseUrl) ? null : baseUrl.Trim();
        SetSms(SmsProviderKind.Vonage, now);
    }

    private void SetEmail(EmailProviderKind kind, DateTimeOffset now)
    {
        EmailProvider = kind;
        UpdatedAt = now;
    }

    private void SetSms(SmsProviderKind kind, DateTimeOffset now)
    {
        SmsProvider = kind;
        UpdatedAt = now;
    }
}
