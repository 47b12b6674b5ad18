using Ciba.Application.Common.Paging;
using Ciba.Web.Console.Providers;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Activity;

/// <summary>
/// Activity's message tabs: deliveries and the development inbox. The queries behind them are
/// built on the notification branch; the two methods under "Use cases" are where they are called.
/// </summary>
[Route("t/{org}/console/activity")]
public sealed class MessagesController : ConsoleController
{
    private const int PageSize = 20;

    [HttpGet("deliveries")]
    public async Task<IActionResult> Deliveries(int page = 1, CancellationToken cancellationToken = default) =>
        View(await LoadDeliveriesAsync(Math.Max(1, page), cancellationToken));

    [HttpGet("inbox")]
    public async Task<IActionResult> Inbox(int page = 1, CancellationToken cancellationToken = default) =>
        View(await LoadInboxAsync(Math.Max(1, page), cancellationToken));

    // Use cases. The integrator replaces each body with its MediatR call:
    //   LoadDeliveriesAsync → GetDeliveriesQuery(Organization.Id, page, PageSize), DeliveryView → DeliveryRow
    //   LoadInboxAsync      → GetDevelopmentInboxQuery(Organization.Id, page, PageSize), DevelopmentInboxMessageView → InboxRow
    private static Task<PagedItems<DeliveryRow>> LoadDeliveriesAsync(int page, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        return Task.FromResult(new PagedItems<DeliveryRow>([], page, PageSize, 0));
    }

    private static Task<PagedItems<InboxRow>> LoadInboxAsync(int page, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        return Task.FromResult(new PagedItems<InboxRow>([], page, PageSize, 0));
    }
}
