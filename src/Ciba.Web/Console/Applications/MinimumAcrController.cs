using Ciba.Application.Console.Applications.UpdateMinimumAcr;
using Ciba.Domain.Authentication;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Applications;

/// <summary>The Protocol tab's sign-in strength block (product.md §16): its own form, saved apart from the rest.</summary>
[Route("t/{org}/console/applications/{id:guid}/protocol/minimum-acr")]
public sealed class MinimumAcrController(IMediator mediator) : ConsoleController
{
    [HttpPost("")]
    public async Task<IActionResult> Update(Guid id, [FromForm] MinimumAcrViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new UpdateMinimumAcrCommand(Organization.Id, id, form.MinimumAcr), cancellationToken);
        if (!result.IsSuccess)
        {
            if (NotFoundIf(result.Error) is { } notFound)
            {
                return notFound;
            }

            Flash("Choose one of the levels listed.");
            return Redirect(ConsolePath($"applications/{id}/protocol"));
        }

        Flash(string.IsNullOrEmpty(form.MinimumAcr)
            ? "Saved. A password is enough to approve this application's requests."
            : $"Saved. Approving this application's requests needs at least: {MinimumAcrViewModel.Describe(form.MinimumAcr)}.");
        return Redirect(ConsolePath($"applications/{id}/protocol"));
    }
}

/// <summary>The sign-in strength block of the Protocol tab.</summary>
public sealed class MinimumAcrViewModel
{
    public Guid ApplicationId { get; set; }

    public string? MinimumAcr { get; set; }

    public static IReadOnlyList<(string? Value, string Label)> Choices { get; } =
    [
        (null, "A password (no minimum)"),
        (AcrLevels.MultiFactor, "Two factors: password and authenticator app, or a passkey"),
        (AcrLevels.PhishingResistant, "Phishing-resistant: a passkey"),
    ];

    public static string Describe(string? level) => Choices.FirstOrDefault(c => c.Value == level).Label ?? "a password";
}
