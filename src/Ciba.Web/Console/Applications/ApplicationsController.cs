using System.Text.Json;
using Ciba.Application.Common.Results;
using Ciba.Application.Console.Applications;
using Ciba.Application.Console.Applications.Create;
using Ciba.Application.Console.Applications.Delete;
using Ciba.Application.Console.Applications.Get;
using Ciba.Application.Console.Applications.List;
using Ciba.Application.Console.Applications.Readiness;
using Ciba.Application.Console.Applications.RegenerateSecret;
using Ciba.Application.Console.Applications.UpdateGeneral;
using Ciba.Application.Console.Applications.UpdateProtocol;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Applications;

/// <summary>Applications: list, create, the General and Protocol tabs, a new secret, delete.</summary>
[Route("t/{org}/console/applications")]
public sealed class ApplicationsController(IMediator mediator) : ConsoleController
{
    [HttpGet("/t/{org}/console")]
    public IActionResult Home() => Redirect(ConsolePath("applications"));

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await mediator.Send(new ListApplicationsQuery(Organization.Id), cancellationToken));

    [HttpGet("new")]
    public IActionResult New() => View(new NewApplicationViewModel());

    /// <summary>Post/Redirect/Get: the new secret goes to the secret page once (ADR 0011), so a reload creates nothing.</summary>
    [HttpPost("new")]
    public async Task<IActionResult> New([FromForm] NewApplicationViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new CreateApplicationCommand(Organization.Id, form.Name, form.Description), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowErrors(result.Error);
            return View(form);
        }

        return RedirectToSecret(result.Value, created: true);
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> General(Guid id, CancellationToken cancellationToken)
    {
        var application = await mediator.Send(new GetApplicationQuery(Organization.Id, id), cancellationToken);
        return application.IsSuccess ? View(ApplicationGeneralViewModel.From(application.Value)) : NotFound();
    }

    [HttpPost("{id:guid}")]
    public async Task<IActionResult> General(Guid id, [FromForm] ApplicationGeneralViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new UpdateApplicationGeneralCommand(Organization.Id, id, form.Name, form.Description), cancellationToken);
        return await SavedOrShownAgainAsync(id, result, form, "Saved.", $"applications/{id}", cancellationToken);
    }

    [HttpGet("{id:guid}/protocol")]
    public async Task<IActionResult> Protocol(Guid id, CancellationToken cancellationToken)
    {
        var application = await mediator.Send(new GetApplicationQuery(Organization.Id, id), cancellationToken);
        if (!application.IsSuccess)
        {
            return NotFound();
        }

        var model = ApplicationProtocolViewModel.From(application.Value);
        model.Readiness = await mediator.Send(new GetChannelReadinessQuery(Organization.Id), cancellationToken);
        return View(model);
    }

    [HttpPost("{id:guid}/protocol")]
    public async Task<IActionResult> Protocol(Guid id, [FromForm] ApplicationProtocolViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var command = new UpdateApplicationProtocolCommand(
            Organization.Id, id, form.GrantTypes, form.ExpirySeconds, form.Channels, form.PollingIntervalSeconds);
        var result = await mediator.Send(command, cancellationToken);
        return await SavedOrShownAgainAsync(
            id, result, form, "Saved. The next backchannel request uses these settings.", $"applications/{id}/protocol", cancellationToken);
    }

    /// <summary>Post/Redirect/Get on success; otherwise the same tab again with the errors next to the fields.</summary>
    private async Task<IActionResult> SavedOrShownAgainAsync(
        Guid id, Result result, IApplicationTabForm form, string savedMessage, string savedPath, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            Flash(savedMessage);
            return Redirect(ConsolePath(savedPath));
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
        if (form is ApplicationProtocolViewModel protocol)
        {
            protocol.Readiness = await mediator.Send(new GetChannelReadinessQuery(Organization.Id), cancellationToken);
        }

        return View(form);
    }

    [HttpPost("{id:guid}/secret")]
    public async Task<IActionResult> RegenerateSecret(Guid id, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new RegenerateClientSecretCommand(Organization.Id, id), cancellationToken);
        return result.IsSuccess ? RedirectToSecret(result.Value, created: false) : NotFound();
    }

    /// <summary>The one-time secret page: shows the secret handed over by the redirect, once; afterwards, that it was shown.</summary>
    [HttpGet("{id:guid}/secret")]
    public async Task<IActionResult> Secret(Guid id, CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        var issued = TempData[IssuedSecretKey] is string json ? JsonSerializer.Deserialize<IssuedSecretHandover>(json) : null;
        if (issued is not null && issued.Secret.ApplicationId == id)
        {
            ViewData["Created"] = issued.Created;
            return View("Secret", issued.Secret);
        }

        var application = await mediator.Send(new GetApplicationQuery(Organization.Id, id), cancellationToken);
        return application.IsSuccess ? View("SecretShown", application.Value) : NotFound();
    }

    [HttpGet("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var application = await mediator.Send(new GetApplicationQuery(Organization.Id, id), cancellationToken);
        return application.IsSuccess ? View(application.Value) : NotFound();
    }

    [HttpPost("{id:guid}/delete")]
    [ActionName("Delete")]
    public async Task<IActionResult> DeleteConfirmed(Guid id, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new DeleteApplicationCommand(Organization.Id, id), cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }

        Flash("The application was deleted.");
        return Redirect(ConsolePath("applications"));
    }

    private const string IssuedSecretKey = "IssuedSecret";

    /// <remarks>TempData is an encrypted (Data Protection), HTTP-only cookie, deleted by the one read that shows it.</remarks>
    private RedirectResult RedirectToSecret(IssuedClientSecret issued, bool created)
    {
        TempData[IssuedSecretKey] = JsonSerializer.Serialize(new IssuedSecretHandover(issued, created));
        return Redirect(ConsolePath($"applications/{issued.ApplicationId}/secret"));
    }

    private sealed record IssuedSecretHandover(IssuedClientSecret Secret, bool Created);
}
