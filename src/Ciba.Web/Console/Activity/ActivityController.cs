using Ciba.Application.Console.Activity;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Activity;

/// <summary>Activity: recent auth requests, message deliveries and the development inbox.</summary>
[Route("t/{org}/console/activity")]
public sealed class ActivityController(IMediator mediator) : ConsoleController
{
    private const int PageSize = 20;

    [HttpGet("")]
    public async Task<IActionResult> Index(int page = 1, CancellationToken cancellationToken = default) =>
        View(await mediator.Send(new ListAuthRequestsQuery(Organization.Id, Math.Max(1, page), PageSize), cancellationToken));
}
