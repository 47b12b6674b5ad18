using Ciba.Application.Console.Applications.Get;
using Ciba.Application.Console.Applications.Readiness;
using Ciba.Application.Console.Applications.UpdateIdTokenSigning;
using Ciba.Domain.Applications;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Applications;

/// <summary>
/// The Protocol tab's ID token block (product.md §10, ADR 0023): its own form, so it saves apart from
/// the grant and CIBA settings above it.
/// </summary>
[Route("t/{org}/console/applications/{id:guid}/protocol/id-token-signing")]
public sealed class IdTokenSigningController(IMediator mediator) : ConsoleController
{
    /// <summary>The posted value, shown again with its error instead of the stored one.</summary>
    public const string PostedValueKey = "IdTokenSigning.Posted";

    [HttpPost("")]
    public async Task<IActionResult> Update(Guid id, [FromForm] IdTokenSigningViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new UpdateIdTokenSigningAlgorithmCommand(Organization.Id, id, form.IdTokenSigningAlgorithm), cancellationToken);
        if (result.IsSuccess)
        {
            Flash($"Saved. ID tokens issued from now on are signed with {form.IdTokenSigningAlgorithm}.");
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
        var model = ApplicationProtocolViewModel.From(application.Value);
        model.Readiness = await mediator.Send(new GetChannelReadinessQuery(Organization.Id), cancellationToken);
        ViewData[PostedValueKey] = form.IdTokenSigningAlgorithm;
        return View("~/Views/Console/Applications/Protocol.cshtml", model);
    }
}

/// <summary>The ID token block of the Protocol tab.</summary>
public sealed class IdTokenSigningViewModel
{
    public static IReadOnlyList<(string Value, string Label)> Choices { get; } =
    [
        (SigningAlgorithms.RS256, "RS256 (RSASSA-PKCS1-v1_5 with SHA-256), the default"),
        (SigningAlgorithms.PS256, "PS256 (RSASSA-PSS with SHA-256), for FAPI"),
        (SigningAlgorithms.ES256, "ES256 (ECDSA P-256 with SHA-256), for FAPI"),
    ];

    public Guid ApplicationId { get; set; }

    public string? IdTokenSigningAlgorithm { get; set; }
}
