using Ciba.Application.Audit;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Paging;
using Ciba.Application.Common.Results;
using Ciba.Application.Console.Users;
using Ciba.Domain.Audit;
using Ciba.Domain.Organizations;
using Ciba.Domain.Protection;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Reports;

/// <summary>The organization's reports ("this wasn't me", wrong number picks), newest first (product.md §14).</summary>
public sealed record ListReportsQuery(Guid OrganizationId, PageRequest Page) : IRequest<KeysetPage<ReportView>>;

public sealed record ReportView(
    Guid Id, DateTimeOffset ReportedAt, string ApplicationName, string UserName, ReportReason Reason,
    DateTimeOffset CooldownUntil, DateTimeOffset? CooldownEndedAt, string? CooldownEndedBy, bool CoolingDown);

/// <summary>An administrator ends a report's cooldown early: the application may send the person requests again.</summary>
public sealed record EndCooldownCommand(Guid OrganizationId, Guid ReportId, string AdministratorName) : IRequest<Result>;

internal sealed class ListReportsHandler(IApplicationDbContext db, IUserAdministration users, TimeProvider time)
    : IRequestHandler<ListReportsQuery, KeysetPage<ReportView>>
{
    private static readonly KeysetOrder<RequestReport> Order = Keyset.ByMoment<RequestReport>(r => r.ReportedAt, r => r.Id);

    public async Task<KeysetPage<ReportView>> Handle(ListReportsQuery request, CancellationToken cancellationToken)
    {
        var page = await db.RequestReports.AsNoTracking()
            .Where(r => r.OrganizationId == request.OrganizationId)
            .ReadPageAsync(request.Page, Order, cancellationToken);
        var applicationIds = page.Items.Select(r => r.ApplicationId).Distinct().ToList();
        var applications = await db.Applications.AsNoTracking()
            .Where(a => applicationIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        var userNames = await users.GetUserNamesAsync(request.OrganizationId, page.Items.Select(r => r.UserId).Distinct().ToList(), cancellationToken);
        var now = time.GetUtcNow();
        var items = page.Items.Select(r => new ReportView(
                r.Id,
                r.ReportedAt,
                applications.GetValueOrDefault(r.ApplicationId, "(deleted application)"),
                userNames.TryGetValue(r.UserId, out var name) ? name : "(deleted user)",
                r.Reason,
                r.CooldownUntil,
                r.CooldownEndedAt,
                r.CooldownEndedBy,
                r.BlocksAt(now)))
            .ToList();
        return new KeysetPage<ReportView>(items, page.Newer, page.Older, page.Count);
    }
}

internal sealed class EndCooldownHandler(IApplicationDbContext db, IAuditTrail audit, TimeProvider time) : IRequestHandler<EndCooldownCommand, Result>
{
    public async Task<Result> Handle(EndCooldownCommand request, CancellationToken cancellationToken)
    {
        var report = await db.RequestReports.SingleOrDefaultAsync(r => r.Id == request.ReportId && r.OrganizationId == request.OrganizationId, cancellationToken);
        if (report is null)
        {
            return Error.NotFound("The report");
        }

        if (report.EndCooldown(request.AdministratorName, time.GetUtcNow()))
        {
            audit.Record(new AuditRecord(
                request.OrganizationId, AuditActions.CooldownEnded, AuditOutcome.Succeeded, AuditActorKind.Administrator, request.AdministratorName,
                report.UserId, report.ApplicationId));
            await db.SaveChangesAsync(cancellationToken);
        }

        return Result.Success;
    }
}

/// <summary>The organization's anti-fatigue limits (product.md §14).</summary>
public sealed record GetLimitsQuery(Guid OrganizationId) : IRequest<AntiFatigueLimits>;

public sealed record UpdateLimitsCommand(Guid OrganizationId, int? MaxPendingPerUser, int? MaxRequestsPerUserPerClient, int? CooldownMinutes) : IRequest<Result>;

internal sealed class UpdateLimitsValidator : AbstractValidator<UpdateLimitsCommand>
{
    public UpdateLimitsValidator()
    {
        RuleFor(c => c.MaxPendingPerUser).Must(v => v is >= 1 and <= AntiFatigueLimits.MaxPending)
            .WithMessage($"Enter a number from 1 to {AntiFatigueLimits.MaxPending}.");
        RuleFor(c => c.MaxRequestsPerUserPerClient).Must(v => v is >= 1 and <= AntiFatigueLimits.MaxPerClient)
            .WithMessage($"Enter a number from 1 to {AntiFatigueLimits.MaxPerClient}.");
        RuleFor(c => c.CooldownMinutes).Must(v => v is >= 1 and <= AntiFatigueLimits.MaxCooldownMinutes)
            .WithMessage($"Enter a number of minutes from 1 to {AntiFatigueLimits.MaxCooldownMinutes}.");
    }
}

internal sealed class GetLimitsHandler(IApplicationDbContext db) : IRequestHandler<GetLimitsQuery, AntiFatigueLimits>
{
    public Task<AntiFatigueLimits> Handle(GetLimitsQuery request, CancellationToken cancellationToken) =>
        db.Organizations.AsNoTracking()
            .Where(o => o.Id == request.OrganizationId)
            .Select(o => new AntiFatigueLimits(o.MaxPendingPerUser, o.MaxRequestsPerUserPerClient, o.CooldownMinutes))
            .SingleAsync(cancellationToken);
}

internal sealed class UpdateLimitsHandler(IApplicationDbContext db) : IRequestHandler<UpdateLimitsCommand, Result>
{
    public async Task<Result> Handle(UpdateLimitsCommand request, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.SingleAsync(o => o.Id == request.OrganizationId, cancellationToken);
        organization.SetLimits(new AntiFatigueLimits(request.MaxPendingPerUser!.Value, request.MaxRequestsPerUserPerClient!.Value, request.CooldownMinutes!.Value));
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
