using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Paging;
using Ciba.Application.Console.Activity;
using Ciba.Domain.Audit;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Audit;

/// <summary>The organization's audit events, newest first, filtered and paged by keyset (product.md §14).</summary>
public sealed record ListAuditEventsQuery(Guid OrganizationId, AuditFilter Filter, PageRequest Page) : IRequest<AuditList>;

/// <summary>The events after <paramref name="After"/> (all of them from the newest when null), <paramref name="Size"/> at a time, for the JSON-lines export.</summary>
public sealed record ExportAuditEventsQuery(Guid OrganizationId, AuditFilter Filter, PageCursor? After, int Size = 500) : IRequest<AuditExportBatch>;

/// <summary>What the audit log is narrowed to; every part is optional.</summary>
/// <param name="User">A username, email or mobile number of the organization.</param>
/// <param name="Action">An action, or a prefix ending with a dot (<c>console.</c>).</param>
public sealed record AuditFilter(
    string? User = null,
    Guid? ApplicationId = null,
    string? Action = null,
    AuditOutcome? Outcome = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null)
{
    public static AuditFilter None { get; } = new();

    public bool IsEmpty => this == None;
}

public sealed record AuditEventView(
    Guid Id,
    DateTimeOffset OccurredAt,
    string Action,
    AuditOutcome Outcome,
    AuditActorKind ActorKind,
    string? Actor,
    Guid? UserId,
    string? UserName,
    Guid? ApplicationId,
    string? ApplicationName,
    string? Subject,
    string? Detail,
    string? SourceAddress);

/// <param name="UserFound">False when the filter named a user the organization does not have.</param>
public sealed record AuditList(KeysetPage<AuditEventView> Events, IReadOnlyList<ApplicationChoice> Applications, bool UserFound);

public sealed record AuditExportBatch(IReadOnlyList<AuditEventView> Events, PageCursor? Next);

internal sealed class AuditEventReader(IApplicationDbContext db, IUserDirectory directory, Users.IUserAdministration users)
{
    public static readonly KeysetOrder<AuditEvent> Order = Keyset.ByMoment<AuditEvent>(e => e.OccurredAt, e => e.Id);

    public async Task<(IQueryable<AuditEvent>? Query, IReadOnlyList<ApplicationChoice> Applications)> FilterAsync(
        Guid organizationId, AuditFilter filter, CancellationToken cancellationToken)
    {
        var applications = await db.Applications.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId)
            .OrderBy(a => a.Name)
            .Select(a => new ApplicationChoice(a.Id, a.Name))
            .ToListAsync(cancellationToken);
        var events = db.AuditEvents.AsNoTracking().Where(e => e.OrganizationId == organizationId);
        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            var user = await directory.FindByLoginHintAsync(organizationId, filter.User.Trim(), cancellationToken);
            if (user is null)
            {
                return (null, applications);
            }

            events = events.Where(e => e.UserId == user.Id);
        }

        if (filter.ApplicationId is { } applicationId)
        {
            events = events.Where(e => e.ApplicationId == applicationId);
        }

        if (!string.IsNullOrEmpty(filter.Action))
        {
            var action = filter.Action;
            events = action.EndsWith('.') ? events.Where(e => e.Action.StartsWith(action)) : events.Where(e => e.Action == action);
        }

        if (filter.Outcome is { } outcome)
        {
            events = events.Where(e => e.Outcome == outcome);
        }

        if (filter.Since is { } since)
        {
            events = events.Where(e => e.OccurredAt >= since);
        }

        if (filter.Until is { } until)
        {
            events = events.Where(e => e.OccurredAt < until);
        }

        return (events, applications);
    }

    public async Task<List<AuditEventView>> ViewAsync(
        Guid organizationId, IReadOnlyList<AuditEvent> events, IReadOnlyList<ApplicationChoice> applications, CancellationToken cancellationToken)
    {
        var userIds = events.Where(e => e.UserId is not null).Select(e => e.UserId!.Value).Distinct().ToList();
        var userNames = userIds.Count == 0 ? new Dictionary<Guid, string>() : await users.GetUserNamesAsync(organizationId, userIds, cancellationToken);
        var applicationNames = applications.ToDictionary(a => a.Id, a => a.Name);
        return events.Select(e => new AuditEventView(
                e.Id,
                e.OccurredAt,
                e.Action,
                e.Outcome,
                e.ActorKind,
                e.Actor,
                e.UserId,
                e.UserId is { } userId ? userNames.GetValueOrDefault(userId) : null,
                e.ApplicationId,
                e.ApplicationId is { } applicationId ? applicationNames.GetValueOrDefault(applicationId) : null,
                e.Subject,
                e.Detail,
                e.SourceAddress))
            .ToList();
    }
}

internal sealed class ListAuditEventsHandler(AuditEventReader reader) : IRequestHandler<ListAuditEventsQuery, AuditList>
{
    public async Task<AuditList> Handle(ListAuditEventsQuery request, CancellationToken cancellationToken)
    {
        var (query, applications) = await reader.FilterAsync(request.OrganizationId, request.Filter, cancellationToken);
        if (query is null)
        {
            return new AuditList(new KeysetPage<AuditEventView>([], null, null, 0), applications, UserFound: false);
        }

        var page = await query.ReadPageAsync(request.Page, AuditEventReader.Order, cancellationToken);
        var items = await reader.ViewAsync(request.OrganizationId, page.Items, applications, cancellationToken);
        return new AuditList(new KeysetPage<AuditEventView>(items, page.Newer, page.Older, page.Count), applications, UserFound: true);
    }
}

internal sealed class ExportAuditEventsHandler(AuditEventReader reader) : IRequestHandler<ExportAuditEventsQuery, AuditExportBatch>
{
    public async Task<AuditExportBatch> Handle(ExportAuditEventsQuery request, CancellationToken cancellationToken)
    {
        var (query, applications) = await reader.FilterAsync(request.OrganizationId, request.Filter, cancellationToken);
        if (query is null)
        {
            return new AuditExportBatch([], null);
        }

        if (request.After is { } after && AuditEventReader.Order.After(after) is { } older)
        {
            query = query.Where(older);
        }

        var size = Math.Clamp(request.Size, 1, 1000);
        var rows = await AuditEventReader.Order.InListOrder(query).Take(size + 1).ToListAsync(cancellationToken);
        var items = rows.Take(size).ToList();
        var views = await reader.ViewAsync(request.OrganizationId, items, applications, cancellationToken);
        return new AuditExportBatch(views, rows.Count > size ? AuditEventReader.Order.CursorOf(items[^1]) : null);
    }
}
