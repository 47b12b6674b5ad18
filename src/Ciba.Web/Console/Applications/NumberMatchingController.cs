using Ciba.Application.Console.Applications.UpdateNumberMatching;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Applications;

/// <summary>The Protocol tab's number-matching block (product.md §14): its own form, saved apart from the rest.</summary>
[Route("t/{org}/console/applications/{id:guid}/protocol/number-matching")]
public sealed class NumberMatchingController(IMediator mediator) : ConsoleController
{
    [HttpPost("")]
    public async Task<IActionResult> Update(Guid id, [FromForm] NumberMatchingViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new UpdateNumberMatchingCommand(Organization.Id, id, form.NumberMatching), cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFoundIf(result.Error) ?? NotFound();
        }

        Flash(form.NumberMatching
            ? "Saved. Number matching is on: short codes are shown among two decoys."
            : "Saved. Number matching is off.");
        return Redirect(ConsolePath($"applications/{id}/protocol"));
    }
}

/// <summary>The number-matching block of the Protocol tab.</summary>
public sealed class NumberMatchingViewModel
{
    public Guid ApplicationId { get; set; }

    public bool NumberMatching { get; set; }
}
