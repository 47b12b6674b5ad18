using Ciba.Application.Console.Applications.Get;
using Ciba.Application.Console.Applications.UpdateClientAuthentication;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.ClientAuthentication;

/// <summary>
/// The Protocol tab's client authentication block (product.md §10), saved by its own form: on
/// success back to the Protocol tab; otherwise this block alone again, with the errors by the fields.
/// </summary>
[Route("t/{org}/console/applications/{id:guid}/client-authentication")]
public sealed class ClientAuthenticationController(IMediator mediator) : ConsoleController
{
    [HttpGet("")]
    public IActionResult Index(Guid id) => Redirect(ConsolePath($"applications/{id}/protocol"));

    [HttpPost("")]
    public async Task<IActionResult> Index(Guid id, [FromForm] ClientAuthenticationViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(
            new UpdateClientAuthenticationCommand(Organization.Id, id, form.TokenEndpointAuthMethod, form.Jwks, form.JwksUri, form.RequireSignedRequests),
            cancellationToken);
        if (result.IsSuccess)
        {
            Flash("Saved. The client authenticates this way from its next request.");
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
        form.Application = application.Value;
        form.ApplicationId = id;
        return View(form);
    }
}
