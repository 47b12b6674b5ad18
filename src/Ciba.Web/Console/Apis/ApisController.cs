using Ciba.Application.Console.Apis;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Apis;

/// <summary>The organization's APIs (product.md §13): name, identifier (the access token's audience) and scopes.</summary>
[Route("t/{org}/console/apis")]
public sealed class ApisController(IMediator mediator) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await mediator.Send(new ListApisQuery(Organization.Id), cancellationToken));

    [HttpGet("new")]
    public IActionResult New() => View(new ApiFormViewModel());

    [HttpPost("new")]
    public async Task<IActionResult> New([FromForm] ApiFormViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new CreateApiCommand(Organization.Id, form.Name, form.Identifier), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowErrors(result.Error);
            return View(form);
        }

        Flash("The API was created. Add its scopes below.");
        return Redirect(ConsolePath($"apis/{result.Value}"));
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var api = await mediator.Send(new GetApiQuery(Organization.Id, id), cancellationToken);
        return api.IsSuccess ? View(new ApiFormViewModel { Api = api.Value, Name = api.Value.Name, Identifier = api.Value.Identifier }) : NotFound();
    }

    [HttpPost("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, [FromForm] ApiFormViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new UpdateApiCommand(Organization.Id, id, form.Name, form.Identifier), cancellationToken);
        return await SavedOrShownAgainAsync(id, result, form, "The API was saved.", cancellationToken);
    }

    [HttpPost("{id:guid}/scopes")]
    public async Task<IActionResult> AddScope(Guid id, [FromForm] ApiFormViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new AddApiScopeCommand(Organization.Id, id, form.Value, form.Description), cancellationToken);
        return await SavedOrShownAgainAsync(id, result, form, "The scope was added.", cancellationToken);
    }

    [HttpPost("{id:guid}/scopes/remove")]
    public async Task<IActionResult> RemoveScope(Guid id, [FromForm] string? value, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new RemoveApiScopeCommand(Organization.Id, id, value), cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }

        Flash("The scope was removed; no application can request it any more.");
        return Redirect(ConsolePath($"apis/{id}"));
    }

    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new DeleteApiCommand(Organization.Id, id), cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }

        Flash("The API was deleted.");
        return Redirect(ConsolePath("apis"));
    }

    private async Task<IActionResult> SavedOrShownAgainAsync(
        Guid id, Application.Common.Results.Result result, ApiFormViewModel form, string savedMessage, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            Flash(savedMessage);
            return Redirect(ConsolePath($"apis/{id}"));
        }

        if (NotFoundIf(result.Error) is { } notFound)
        {
            return notFound;
        }

        var api = await mediator.Send(new GetApiQuery(Organization.Id, id), cancellationToken);
        if (!api.IsSuccess)
        {
            return NotFound();
        }

        ShowErrors(result.Error);
        form.Api = api.Value;
        form.Name ??= api.Value.Name;
        form.Identifier ??= api.Value.Identifier;
        return View(nameof(Edit), form);
    }
}

/// <summary>The API page's two forms (the API itself, a new scope), typed values kept when a save fails.</summary>
public sealed class ApiFormViewModel
{
    public ApiDetails? Api { get; set; }

    public string? Name { get; set; }

    public string? Identifier { get; set; }

    public string? Value { get; set; }

    public string? Description { get; set; }
}
