using System.Globalization;
using Ciba.Application.Audit;
using Ciba.Application.Backchannel.Decide;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Application.Notifications;
using Ciba.Domain.Audit;
using Ciba.Domain.Notifications;
using Ciba.Domain.Protection;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Backchannel.Report;

/// <summary>
/// product.md §14 "This wasn't me" (or a wrong pick in number matching): denies the request,
/// records a report, starts the application's cooldown for this person, and emails the
/// organization's administrators through the outbox; all in one transaction.
/// </summary>
public sealed record ReportBackchannelRequestCommand(Guid OrganizationId, string LinkKey, Guid UserId, ReportReason Reason = ReportReason.NotMe)
    : IRequest<Result>;

internal sealed class ReportBackchannelRequestHandler(
    BackchannelDecisions decisions,
    IApplicationDbContext db,
    IAdministratorContacts administrators,
    IUserDirectory users,
    INotificationContentProtector protector,
    IAuditTrail audit,
    IOptions<CibaOptions> options,
    TimeProvider time)
    : IRequestHandler<ReportBackchannelRequestCommand, Result>
{
    private static readonly TimeSpan NoticeLifetime = TimeSpan.FromDays(1);

    public async Task<Result> Handle(ReportBackchannelRequestCommand request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.LinkKey))
        {
            return Error.NotFound("The request");
        }

        var hash = SecretHashing.HashToken(request.LinkKey);
        var applicationName = await (
                from r in db.BackchannelRequests.AsNoTracking()
                join a in db.Applications.AsNoTracking() on r.ApplicationId equals a.Id
                where r.OrganizationId == request.OrganizationId && r.LinkKeyHash == hash
                select a.Name)
            .FirstOrDefaultAsync(cancellationToken) ?? "an application";
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == request.OrganizationId, cancellationToken);
        var providers = await db.NotificationProviders.AsNoTracking().SingleOrDefaultAsync(p => p.OrganizationId == request.OrganizationId, cancellationToken);
        var emails = providers?.CanSendEmail == true ? await administrators.VerifiedEmailsAsync(request.OrganizationId, cancellationToken) : [];
        var person = await users.FindByIdAsync(request.OrganizationId, request.UserId, cancellationToken);
        var now = time.GetUtcNow();
        return await decisions.DecideAsync(
            request.OrganizationId,
            request.LinkKey,
            authRequest => authRequest.Deny(request.UserId, time.GetUtcNow()),
            cancellationToken,
            authRequest =>
            {
                var report = RequestReport.Create(
                    request.OrganizationId, authRequest.ApplicationId, authRequest.UserId, authRequest.Id, request.Reason, organization.Limits.Cooldown, now);
                db.RequestReports.Add(report);
                var reason = request.Reason == ReportReason.NotMe ? "This wasn't me" : "Wrong number picked";
                audit.Record(new AuditRecord(
                    request.OrganizationId,
                    AuditActions.RequestReported,
                    AuditOutcome.Succeeded,
                    AuditActorKind.User,
                    person?.UserName,
                    authRequest.UserId,
                    authRequest.ApplicationId,
                    Detail: $"{reason}. Cooldown until {report.CooldownUntil.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}; {emails.Count} administrator(s) emailed."));

                var notice = $"{person?.UserName ?? "A user"} reported a sign-in request from {applicationName} ({reason.ToLowerInvariant()}). "
                    + $"The request was denied, and {applicationName} cannot send them requests for {organization.CooldownMinutes} minutes.";
                var link = options.Value.OrganizationBaseUrl(organization.Handle) + "/console/reports";
                foreach (var email in emails)
                {
                    var content = protector.Protect(new NotificationContent(applicationName, null, link, now + NoticeLifetime, now, notice));
                    db.OutgoingMessages.Add(OutgoingMessage.Create(request.OrganizationId, backchannelRequestId: null, MessageChannel.Email, email, content, now + NoticeLifetime, now));
                }
            });
    }
}
