using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Results;
using Ciba.Domain.Notifications;
using Ciba.Domain.Users;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Notifications.Providers.SendTest;

/// <summary>
/// Queues a test message through the same outbox as sign-in messages (no auth request behind it)
/// and returns its id, so the console can follow its delivery with <c>GetDeliveryQuery</c>.
/// </summary>
/// <param name="Recipient">An email address, or a mobile number (normalized to E.164).</param>
public sealed record SendTestMessageCommand(Guid OrganizationId, MessageChannel Channel, string Recipient) : IRequest<Result<Guid>>;

internal sealed class SendTestMessageHandler(
    IApplicationDbContext db,
    INotificationContentProtector protector,
    IOptions<CibaOptions> options,
    TimeProvider time)
    : IRequestHandler<SendTestMessageCommand, Result<Guid>>
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public async Task<Result<Guid>> Handle(SendTestMessageCommand request, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == request.OrganizationId, cancellationToken);
        if (organization is null)
        {
            return Error.NotFound("The organization");
        }

        if (request.Channel.IsCallback())
        {
            return Error.Validation([new FieldError(nameof(request.Channel), "Choose Email or SMS.")]);
        }

        var providers = await db.NotificationProviders.AsNoTracking().SingleOrDefaultAsync(p => p.OrganizationId == request.OrganizationId, cancellationToken);
        var configured = request.Channel == MessageChannel.Email ? providers?.CanSendEmail == true : providers?.CanSendSms == true;
        if (!configured)
        {
            var what = request.Channel == MessageChannel.Email ? "email" : "SMS";
            return Error.Validation([new FieldError(nameof(request.Channel), $"No {what} provider is configured.")]);
        }

        var recipient = request.Channel == MessageChannel.Sms
            ? PhoneNumber.NormalizeToE164(request.Recipient)!
            : request.Recipient.Trim();
        var now = time.GetUtcNow();
        var link = options.Value.OrganizationBaseUrl(organization.Handle) + "/console";
        var content = new NotificationContent(organization.Name, null, link, now + Lifetime, now);
        var message = OutgoingMessage.Create(
            organization.Id, backchannelRequestId: null, request.Channel, recipient, protector.Protect(content), now + Lifetime, now);
        db.OutgoingMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return message.Id;
    }
}
