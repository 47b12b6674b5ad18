using Ciba.Application.Tokens;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Keys;

/// <summary>The organization's token-signing keys: listed with their state, and rotated on demand (ADR 0015).</summary>
[Route("t/{org}/console/signing-keys")]
public sealed class SigningKeysController(IMediator mediator, TimeProvider time) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(new SigningKeysViewModel(await mediator.Send(new ListSigningKeysQuery(Organization), cancellationToken), time.GetUtcNow()));

    [HttpPost("rotate")]
    public async Task<IActionResult> Rotate(CancellationToken cancellationToken)
    {
        var rotation = await mediator.Send(new RotateSigningKeyCommand(Organization), cancellationToken);
        var at = rotation.ActivatesAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        Flash(rotation.AlreadyPending
            ? $"A rotation is already under way: key {rotation.KeyId} signs from {at}."
            : $"New keys {string.Join(", ", rotation.KeyIds)}, one per algorithm: each is published now and signs from {at}; the current keys stay published until their tokens expire.");
        return Redirect(ConsolePath("signing-keys"));
    }
}

public sealed record SigningKeysViewModel(IReadOnlyList<SigningKeyView> Keys, DateTimeOffset Now);
