using Ciba.Application.Common.Paging;
using Ciba.Application.Console.Reports;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Reports;

/// <summary>Reports of requests people said were not theirs, with their cooldowns; an administrator can end one (product.md §14).</summary>
[Route("t/{org}/console/reports")]
public sealed class ReportsController(IMediator mediator) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? after, string? before, CancellationToken cancellationToken = default)
    {
        var page = await mediator.Send(new ListReportsQuery(Organization.Id, PageRequest.From(after, before)), cancellationToken);
        return View(new ListPage<ReportView>(page.Items, Pager.For(page, ConsolePath("reports"))));
    }

    [HttpPost("{id:guid}/end-cooldown")]
    public async Task<IActionResult> EndCooldown(Guid id, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new EndCooldownCommand(Organization.Id, id, Administrator.UserName), cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFoundIf(result.Error) ?? BadRequest();
        }

        Flash("The cooldown was ended: the application may send this person requests again.");
        return Redirect(ConsolePath("reports"));
    }
}

/// <summary>The anti-fatigue limits (product.md §14), under Settings.</summary>
[Route("t/{org}/console/settings/limits")]
public sealed class LimitsController(IMediator mediator) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var limits = await mediator.Send(new GetLimitsQuery(Organization.Id), cancellationToken);
        return View(new LimitsViewModel
        {
            MaxPendingPerUser = limits.MaxPendingPerUser,
            MaxRequestsPerUserPerClient = limits.MaxRequestsPerUserPerClient,
            CooldownMinutes = limits.CooldownMinutes,
        });
    }

    [HttpPost("")]
    public async Task<IActionResult> Index([FromForm] LimitsViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(
            new UpdateLimitsCommand(Organization.Id, form.MaxPendingPerUser, form.MaxRequestsPerUserPerClient, form.CooldownMinutes), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowErrors(result.Error);
            return View(form);
        }

        Flash("The limits were saved.");
        return Redirect(ConsolePath("settings/limits"));
    }
}

public sealed class LimitsViewModel
{
    public int? MaxPendingPerUser { get; set; }

    public int? MaxRequestsPerUserPerClient { get; set; }

    public int? CooldownMinutes { get; set; }
}
