using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Notifications.Providers.UpdateSms;

/// <summary>Chooses the organization's SMS provider. Vonage settings are used only when <paramref name="Provider"/> is Vonage.</summary>
/// <param name="ApiSecret">The Vonage API secret in clear; blank keeps the stored one.</param>
/// <param name="From">The sender id: a phone number or an alphanumeric name.</param>
/// <param name="BaseUrl">Blank means Vonage's default API host.</param>
public sealed record UpdateSmsProviderCommand(
    Guid OrganizationId,
    SmsProviderKind Provider,
    string? ApiKey = null,
    string? ApiSecret = null,
    string? From = null,
    string? BaseUrl = null) : IRequest<Result>;

internal sealed class UpdateSmsProviderHandler(IApplicationDbContext db, ISecretProtector secrets, TimeProvider time)
    : IRequestHandler<UpdateSmsProviderCommand, Result>
{
    public async Task<Result> Handle(UpdateSmsProviderCommand request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var providers = await db.NotificationProviders.SingleOrDefaultAsync(p => p.OrganizationId == request.OrganizationId, cancellationToken);
        if (providers is null)
        {
            providers = NotificationProviders.CreateFor(request.OrganizationId, now);
            db.NotificationProviders.Add(providers);
        }

        switch (request.Provider)
        {
            case SmsProviderKind.None:
                providers.DisableSms(now);
                break;
            case SmsProviderKind.DevelopmentInbox:
                providers.UseSmsDevelopmentInbox(now);
                break;
            case SmsProviderKind.Vonage:
                var newSecret = string.IsNullOrWhiteSpace(request.ApiSecret) ? null : secrets.Protect(request.ApiSecret.Trim());
                if (newSecret is null && string.IsNullOrEmpty(providers.VonageProtectedApiSecret))
                {
                    return Error.Validation([new FieldError(nameof(request.ApiSecret), "Enter the Vonage API secret.")]);
                }

                providers.UseVonage(request.ApiKey!, newSecret, request.From!, request.BaseUrl, now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Provider, "Unknown SMS provider.");
        }

        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
