using Ciba.Application.Console.Applications.Get;
using Ciba.Application.Console.Applications.UpdateTokenDelivery;
using Ciba.Domain.Applications;
using DeliveryMode = Ciba.Domain.Applications.TokenDeliveryMode;
using Ciba.Web.Organizations;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Applications;

/// <summary>The Protocol tab's token delivery block (product.md §11), saved on its own so the tab's other blocks stay independent.</summary>
[Route("t/{org}/console/applications/{id:guid}/protocol/delivery")]
public sealed class TokenDeliveryController(IMediator mediator) : ConsoleController
{
    public const string FormView = "~/Views/Console/Applications/TokenDelivery.cshtml";

    [HttpPost("")]
    public async Task<IActionResult> Update(Guid id, [FromForm] TokenDeliveryForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new UpdateTokenDeliveryCommand(Organization.Id, id, form.TokenDeliveryMode, form.ClientNotificationEndpoint), cancellationToken);
        if (result.IsSuccess)
        {
            Flash("Saved. The next backchannel request uses this delivery mode.");
            return Redirect(ConsolePath($"applications/{id}/protocol"));
        }

        if (NotFoundIf(result.Error) is { } notFound)
        {
            return notFound;
        }

        var application = await mediator.Send(new GetApplicationQuery(Organization.Id, id), cancellationToken);
        if (!application.IsSuccess)
        {
            return NotFound();
        }

        ShowErrors(result.Error);
        form.ApplicationId = id;
        form.Application = application.Value;
        return View(FormView, form);
    }
}

/// <summary>The token delivery form, kept as typed.</summary>
public sealed class TokenDeliveryForm
{
    public static IReadOnlyList<(DeliveryMode Value, string Label, string Hint)> Choices { get; } =
    [
        (DeliveryMode.Poll, "Poll", "the client polls the token endpoint"),
        (DeliveryMode.Ping, "Ping", "Ciba tells the client's endpoint, then the client calls the token endpoint (it may also poll)"),
        (DeliveryMode.Push, "Push", "Ciba POSTs the tokens, or the error, to the client's endpoint"),
    ];

    public Guid ApplicationId { get; set; }

    public Ciba.Application.Console.Applications.ApplicationDetails? Application { get; set; }

    public string? TokenDeliveryMode { get; set; }

    public string? ClientNotificationEndpoint { get; set; }

    public bool Is(DeliveryMode mode) => string.Equals(TokenDeliveryMode, mode.ToString(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>Renders the token delivery block inside the Protocol tab.</summary>
public sealed class TokenDeliveryViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid applicationId)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext);
        if (organization is null)
        {
            return Content(string.Empty);
        }

        var delivery = await mediator.Send(new GetTokenDeliveryQuery(organization.Id, applicationId), HttpContext.RequestAborted);
        if (!delivery.IsSuccess)
        {
            return Content(string.Empty);
        }

        return View("~/Views/Console/Applications/_TokenDeliveryForm.cshtml", new TokenDeliveryForm
        {
            ApplicationId = applicationId,
            TokenDeliveryMode = delivery.Value.Mode.ToString(),
            ClientNotificationEndpoint = delivery.Value.ClientNotificationEndpoint,
        });
    }
}
