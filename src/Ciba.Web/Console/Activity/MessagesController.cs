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
    [HttpGet("deliveries")]
    public async Task<IActionResult> Deliveries(string? after, string? before, CancellationToken cancellationToken = default)
    {
        var deliveries = await mediator.Send(new GetDeliveriesQuery(Organization.Id, PageRequest.From(after, before)), cancellationToken);
        return View(new ListPage<DeliveryRow>([.. deliveries.Items.Select(DeliveryRow.From)], Pager.For(deliveries, ConsolePath("activity/deliveries"))));
    }

    /// <summary>One delivery's attempts, each with its outcome and error.</summary>
    [HttpGet("deliveries/{id:guid}")]
    public async Task<IActionResult> Attempts(Guid id, CancellationToken cancellationToken = default)
    {
        var attempts = await mediator.Send(new GetDeliveryAttemptsQuery(Organization.Id, id), cancellationToken);
        return attempts.IsSuccess ? View(attempts.Value) : NotFound();
    }

    [HttpGet("inbox")]
    public async Task<IActionResult> Inbox(string? after, string? before, CancellationToken cancellationToken = default)
    {
        var inbox = await mediator.Send(new GetDevelopmentInboxQuery(Organization.Id, PageRequest.From(after, before)), cancellationToken);
        return View(new ListPage<InboxRow>([.. inbox.Items.Select(InboxRow.From)], Pager.For(inbox, ConsolePath("activity/inbox"))));
    }
}
