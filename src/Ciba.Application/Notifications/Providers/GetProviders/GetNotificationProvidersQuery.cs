using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Notifications.Providers.GetProviders;

/// <summary>An organization's provider settings for the console. Secrets are write-only: only whether one is stored.</summary>
public sealed record GetNotificationProvidersQuery(Guid OrganizationId) : IRequest<Result<NotificationProvidersView>>;

public sealed record NotificationProvidersView(EmailProviderView Email, SmsProviderView Sms);

public sealed record EmailProviderView(
    EmailProviderKind Provider,
    bool HasApiKey,
    string? FromAddress,
    string? FromName,
    string? BaseUrl,
    string DefaultBaseUrl);

/// <param name="ApiKey">Vonage's API key is an account identifier, not a secret; the API secret is never shown.</param>
public sealed record SmsProviderView(
    SmsProviderKind Provider,
    string? ApiKey,
    bool HasApiSecret,
    string? From,
    string? BaseUrl,
    string DefaultBaseUrl);

internal sealed class GetNotificationProvidersHandler(IApplicationDbContext db)
    : IRequestHandler<GetNotificationProvidersQuery, Result<NotificationProvidersView>>
{
    public async Task<Result<NotificationProvidersView>> Handle(GetNotificationProvidersQuery request, CancellationToken cancellationToken)
    {
        var providers = await db.NotificationProviders.AsNoTracking()
            .SingleOrDefaultAsync(p => p.OrganizationId == request.OrganizationId, cancellationToken);

        var email = new EmailProviderView(
            providers?.EmailProvider ?? EmailProviderKind.None,
            !string.IsNullOrEmpty(providers?.SendGridProtectedApiKey),
            providers?.SendGridFromAddress,
            providers?.SendGridFromName,
            providers?.SendGridBaseUrl,
            ProviderDefaults.SendGridBaseUrl);
        var sms = new SmsProviderView(
            providers?.SmsProvider ?? SmsProviderKind.None,
            providers?.VonageApiKey,
            !string.IsNullOrEmpty(providers?.VonageProtectedApiSecret),
            providers?.VonageFrom,
            providers?.VonageBaseUrl,
            ProviderDefaults.VonageBaseUrl);
        return new NotificationProvidersView(email, sms);
    }
}
