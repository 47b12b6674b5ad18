using Ciba.Application.Common.Paging;
using Ciba.Application.Notifications.Deliveries;
using Ciba.Application.Notifications.DevelopmentInbox;
using Ciba.Web.Console.Providers;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Activity;

/// <summary>Activity's message tabs: deliveries and the development inbox, newest first, recipients masked.</summary>
[Route("t/{org}/console/activity")]
public sealed class MessagesController(IMediator mediator) : ConsoleController
{
    private const int PageSize = 20;

    [HttpGet("deliveries")]
    public async Task<IActionResult> Deliveries(int page = 1, CancellationToken cancellationToken = default)
    {
        var deliveries = (await mediator.Send(new GetDeliveriesQuery(Organization.Id, Math.Max(1, page), PageSize), cancellationToken)).Value;
        return View(new PagedItems<DeliveryRow>([.. deliveries.Items.Select(DeliveryRow.From)], deliveries.Page, deliveries.PageSize, deliveries.TotalCount));
    }

    [HttpGet("inbox")]
    public async Task<IActionResult> Inbox(int page = 1, CancellationToken cancellationToken = default)
    {
        var inbox = (await mediator.Send(new GetDevelopmentInboxQuery(Organization.Id, Math.Max(1, page), PageSize), cancellationToken)).Value;
        return View(new PagedItems<InboxRow>([.. inbox.Items.Select(InboxRow.From)], inbox.Page, inbox.PageSize, inbox.TotalCount));
    }
}
