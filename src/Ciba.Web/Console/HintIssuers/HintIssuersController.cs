using Ciba.Application.Console.HintIssuers;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.HintIssuers;

/// <summary>Trusted login_hint_token issuers (product.md §12), under Settings: issuer id and JWK Set; every change audited.</summary>
[Route("t/{org}/console/settings/hint-issuers")]
public sealed class HintIssuersController(IMediator mediator) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(new HintIssuersViewModel { Issuers = await mediator.Send(new ListHintIssuersQuery(Organization.Id), cancellationToken) });

    [HttpPost("")]
    public async Task<IActionResult> Index([FromForm] HintIssuersViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new SaveHintIssuerCommand(Organization.Id, form.Issuer, form.Jwks), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowErrors(result.Error);
            form.Issuers = await mediator.Send(new ListHintIssuersQuery(Organization.Id), cancellationToken);
            return View(form);
        }

        Flash($"Saved. login_hint_tokens from {form.Issuer?.Trim()} are trusted when signed by these keys.");
        return Redirect(ConsolePath("settings/hint-issuers"));
    }

    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new DeleteHintIssuerCommand(Organization.Id, id), cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFoundIf(result.Error) ?? NotFound();
        }

        Flash("The issuer is no longer trusted.");
        return Redirect(ConsolePath("settings/hint-issuers"));
    }
}

public sealed class HintIssuersViewModel
{
    public string? Issuer { get; set; }

    public string? Jwks { get; set; }

    public IReadOnlyList<HintIssuerSummary> Issuers { get; set; } = [];
}
