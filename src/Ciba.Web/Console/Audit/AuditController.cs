using System.Globalization;
using System.Text.Json;
using Ciba.Application.Common.Paging;
using Ciba.Application.Console.Activity;
using Ciba.Application.Console.Audit;
using Ciba.Domain.Audit;
using Ciba.Web.Console.Activity;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Audit;

/// <summary>The audit log (product.md §14): filtered by user, application, action, outcome and time; paged; exported as JSON lines.</summary>
[Route("t/{org}/console/audit")]
public sealed class AuditController(IMediator mediator, TimeProvider time) : ConsoleController
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web);

    [HttpGet("")]
    public async Task<IActionResult> Index(
        string? user, string? application, [FromQuery(Name = "action")] string? actionName, string? outcome, string? since, string? after, string? before, CancellationToken cancellationToken = default)
    {
        var form = new AuditFilterForm { User = user, Application = application, Action = actionName, Outcome = outcome, Since = since };
        var filter = form.ToFilter(time.GetUtcNow());
        var list = await mediator.Send(new ListAuditEventsQuery(Organization.Id, filter, PageRequest.From(after, before)), cancellationToken);
        var query = form.ToQueryString(filter);
        return View(new AuditListViewModel
        {
            Filter = form,
            Applications = list.Applications,
            UserFound = list.UserFound,
            Events = list.Events.Items,
            Pager = Pager.For(list.Events, ConsolePath("audit") + query),
            IsFiltered = !filter.IsEmpty,
            ExportUrl = ConsolePath("audit/export") + query,
        });
    }

    /// <summary>Every matching event, newest first, one JSON object per line.</summary>
    [HttpGet("export")]
    public async Task Export(string? user, string? application, [FromQuery(Name = "action")] string? actionName, string? outcome, string? since, CancellationToken cancellationToken = default)
    {
        var form = new AuditFilterForm { User = user, Application = application, Action = actionName, Outcome = outcome, Since = since };
        var filter = form.ToFilter(time.GetUtcNow());
        Response.ContentType = "application/x-ndjson; charset=utf-8";
        Response.Headers.CacheControl = "no-store";
        Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{Organization.Handle}-{time.GetUtcNow():yyyyMMddHHmmss}.jsonl\"";
        PageCursor? cursor = null;
        do
        {
            var batch = await mediator.Send(new ExportAuditEventsQuery(Organization.Id, filter, cursor), cancellationToken);
            foreach (var item in batch.Events)
            {
                var line = JsonSerializer.Serialize(
                    new
                    {
                        time = item.OccurredAt.ToUniversalTime(),
                        action = item.Action,
                        outcome = item.Outcome.ToString(),
                        actorKind = item.ActorKind.ToString(),
                        actor = item.Actor,
                        userId = item.UserId,
                        user = item.UserName,
                        applicationId = item.ApplicationId,
                        application = item.ApplicationName,
                        subject = item.Subject,
                        detail = item.Detail,
                        sourceAddress = item.SourceAddress,
                    },
                    ExportJson);
                await Response.WriteAsync(line + "\n", cancellationToken);
            }

            cursor = batch.Next;
        }
        while (cursor is not null);
    }
}

/// <summary>The audit filters as typed in the query string; anything that does not parse is no filter.</summary>
public sealed class AuditFilterForm
{
    public const string ConsoleChanges = AuditActions.ConsolePrefix;

    public string? User { get; init; }

    public string? Application { get; init; }

    public string? Action { get; init; }

    public string? Outcome { get; init; }

    public string? Since { get; init; }

    public static IReadOnlyList<string> Actions => AuditActions.Known;

    public AuditFilter ToFilter(DateTimeOffset now) => new(
        User is { Length: > 0 and <= 256 } user && !user.Any(char.IsControl) ? user.Trim() : null,
        Guid.TryParseExact(Application, "D", out var applicationId) ? applicationId : null,
        Action is { } action && (action == ConsoleChanges || AuditActions.Known.Contains(action, StringComparer.Ordinal)) ? action : null,
        Enum.TryParse<AuditOutcome>(Outcome, ignoreCase: false, out var outcome) && Enum.IsDefined(outcome) && !int.TryParse(Outcome, out _) ? outcome : null,
        ActivityFilterForm.SinceChoices.FirstOrDefault(c => c.Value == Since) is { Value: not null } choice ? now - choice.Span : null);

    public string ToQueryString(AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = QueryString.Empty;
        if (filter.User is { } user)
        {
            query = query.Add("user", user);
        }

        if (filter.ApplicationId is { } applicationId)
        {
            query = query.Add("application", applicationId.ToString("D", CultureInfo.InvariantCulture));
        }

        if (filter.Action is { } action)
        {
            query = query.Add("action", action);
        }

        if (filter.Outcome is { } outcome)
        {
            query = query.Add("outcome", outcome.ToString());
        }

        if (filter.Since is not null)
        {
            query = query.Add("since", Since!);
        }

        return query.ToUriComponent();
    }
}

public sealed class AuditListViewModel
{
    public required AuditFilterForm Filter { get; init; }

    public required IReadOnlyList<ApplicationChoice> Applications { get; init; }

    public required bool UserFound { get; init; }

    public required IReadOnlyList<AuditEventView> Events { get; init; }

    public required Pager Pager { get; init; }

    public required bool IsFiltered { get; init; }

    public required string ExportUrl { get; init; }
}
