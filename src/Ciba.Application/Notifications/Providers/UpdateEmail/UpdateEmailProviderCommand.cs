using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Notifications.Providers.UpdateEmail;

/// <summary>Chooses the organization's email provider. SendGrid settings are used only when <paramref name="Provider"/> is SendGrid.</summary>
/// <param name="ApiKey">The SendGrid API key in clear; blank keeps the stored one.</param>
/// <param name="BaseUrl">Blank means SendGrid's default API host.</param>
public sealed record UpdateEmailProviderCommand(
    Guid OrganizationId,
    EmailProviderKind Provider,
    string? ApiKey = null,
    string? FromAddress = null,
    string? FromName = null,
    string? BaseUrl = null) : IRequest<Result>;

internal sealed class UpdateEmailProviderHandler(IApplicationDbContext db, ISecretProtector secrets, TimeProvider time)
    : IRequestHandler<UpdateEmailProviderCommand, Result>
{
    public async Task<Result> Handle(UpdateEmailProviderCommand request, CancellationToken cancellationToken)
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
            case EmailProviderKind.None:
                providers.DisableEmail(now);
                break;
            case EmailProviderKind.DevelopmentInbox:
                providers.UseEmailDevelopmentInbox(now);
                break;
            case EmailProviderKind.SendGrid:
                var newKey = string.IsNullOrWhiteSpace(request.ApiKey) ? null : secrets.Protect(request.ApiKey.Trim());
                if (newKey is null && string.IsNullOrEmpty(providers.SendGridProtectedApiKey))
                {
                    return Error.Validation([new FieldError(nameof(request.ApiKey), "Enter the SendGrid API key.")]);
                }

                providers.UseSendGrid(newKey, request.FromAddress!, request.FromName, request.BaseUrl, now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Provider, "Unknown email provider.");
        }

        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
