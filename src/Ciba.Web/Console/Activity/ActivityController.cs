using System.Globalization;
using Ciba.Application.Common.Paging;
using Ciba.Application.Console.Activity;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Activity;

/// <summary>Activity: the organization's auth requests, filtered and paged, and each one's timeline.</summary>
[Route("t/{org}/console/activity")]
public sealed class ActivityController(IMediator mediator, TimeProvider time) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(
        string? application, string? user, string? status, string? since, string? after, string? before, CancellationToken cancellationToken = default)
    {
        var form = new ActivityFilterForm { Application = application, User = user, Status = status, Since = since };
        var filter = form.ToFilter(time.GetUtcNow());
        var list = await mediator.Send(new ListAuthRequestsQuery(Organization.Id, filter, PageRequest.From(after, before)), cancellationToken);
        return View(new ActivityListViewModel
        {
            Filter = form,
            Applications = list.Applications,
            UserFound = list.UserFound,
            Requests = list.Requests.Items,
            Pager = Pager.For(list.Requests, ConsolePath("activity") + form.ToQueryString(filter)),
            IsFiltered = !filter.IsEmpty,
        });
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Detail(Guid id, CancellationToken cancellationToken)
    {
        var timeline = await mediator.Send(new GetAuthRequestActivityQuery(Organization.Id, id), cancellationToken);
        return timeline.IsSuccess ? View(timeline.Value) : NotFound();
    }
}

/// <summary>The Activity filters as typed in the query string; anything that does not parse is no filter.</summary>
public sealed class ActivityFilterForm
{
    public static IReadOnlyList<(string Value, string Label, TimeSpan Span)> SinceChoices { get; } =
    [
        ("1h", "Last hour", TimeSpan.FromHours(1)),
        ("24h", "Last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "Last 7 days", TimeSpan.FromDays(7)),
        ("30d", "Last 30 days", TimeSpan.FromDays(30)),
    ];

    public string? Application { get; init; }

    public string? User { get; init; }

    public string? Status { get; init; }

    public string? Since { get; init; }

    public ActivityFilter ToFilter(DateTimeOffset now) => new(
        Guid.TryParseExact(Application, "D", out var applicationId) ? applicationId : null,
        User is { Length: > 0 and <= 256 } user && !user.Any(char.IsControl) ? user.Trim() : null,
        Enum.TryParse<AuthRequestState>(Status, ignoreCase: false, out var state) && Enum.IsDefined(state) && !int.TryParse(Status, out _) ? state : null,
        SinceChoices.FirstOrDefault(c => c.Value == Since) is { Value: not null } choice ? now - choice.Span : null);

    /// <summary>The filters that took effect, as a query string for the pager's links.</summary>
    public string ToQueryString(ActivityFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = QueryString.Empty;
        if (filter.ApplicationId is { } applicationId)
        {
            query = query.Add("application", applicationId.ToString("D", CultureInfo.InvariantCulture));
        }

        if (filter.User is { } user)
        {
            query = query.Add("user", user);
        }

        if (filter.Status is { } status)
        {
            query = query.Add("status", status.ToString());
        }

        if (filter.Since is not null)
        {
            query = query.Add("since", Since!);
        }

        return query.ToUriComponent();
    }
}

public sealed class ActivityListViewModel
{
    public required ActivityFilterForm Filter { get; init; }

    public required IReadOnlyList<ApplicationChoice> Applications { get; init; }

    public required bool UserFound { get; init; }

    public required IReadOnlyList<AuthRequestActivity> Requests { get; init; }

    public required Pager Pager { get; init; }

    public required bool IsFiltered { get; init; }
}
