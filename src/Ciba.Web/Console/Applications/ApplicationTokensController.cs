using Ciba.Application.Console.Applications.Tokens;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Applications;

/// <summary>An application's Tokens tab (product.md §13): refresh token lifetimes and the API scopes it may request.</summary>
[Route("t/{org}/console/applications/{id:guid}/tokens")]
public sealed class ApplicationTokensController(IMediator mediator) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Tokens(Guid id, CancellationToken cancellationToken)
    {
        var tokens = await mediator.Send(new GetApplicationTokensQuery(Organization.Id, id), cancellationToken);
        return tokens.IsSuccess ? View(ApplicationTokensViewModel.From(tokens.Value)) : NotFound();
    }

    [HttpPost("")]
    public async Task<IActionResult> Tokens(Guid id, [FromForm] ApplicationTokensViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(
            new UpdateApplicationTokensCommand(
                Organization.Id, id, form.RefreshTokenLifetimeSeconds, form.RefreshTokenIdleLifetimeSeconds, form.AlwaysIssueRefreshToken, form.ApiScopes, form.RateLimitPerMinute),
            cancellationToken);
        if (result.IsSuccess)
        {
            Flash("Saved. New grants use these settings.");
            return Redirect(ConsolePath($"applications/{id}/tokens"));
        }

        if (NotFoundIf(result.Error) is { } notFound)
        {
            return notFound;
        }

        var tokens = await mediator.Send(new GetApplicationTokensQuery(Organization.Id, id), cancellationToken);
        if (!tokens.IsSuccess)
        {
            return NotFound();
        }

        ShowErrors(result.Error);
        form.Tokens = tokens.Value;
        return View(form);
    }
}

/// <summary>The Tokens tab's form; numbers kept as typed so that any input comes back as a field error.</summary>
public sealed class ApplicationTokensViewModel
{
    public ApplicationTokens? Tokens { get; set; }

    public string? RefreshTokenLifetimeSeconds { get; set; }

    public string? RefreshTokenIdleLifetimeSeconds { get; set; }

    public bool AlwaysIssueRefreshToken { get; set; }

    public List<string> ApiScopes { get; set; } = [];

    /// <summary>Requests per minute on the protocol endpoints; empty is no limit (ADR 0026).</summary>
    public string? RateLimitPerMinute { get; set; }

    public bool HasApiScope(string value) => ApiScopes.Contains(value, StringComparer.Ordinal);

    public static ApplicationTokensViewModel From(ApplicationTokens tokens) => new()
    {
        Tokens = tokens,
        RefreshTokenLifetimeSeconds = tokens.RefreshTokens.AbsoluteLifetimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RefreshTokenIdleLifetimeSeconds = tokens.RefreshTokens.IdleLifetimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AlwaysIssueRefreshToken = tokens.RefreshTokens.AlwaysIssue,
        ApiScopes = [.. tokens.ApiScopes],
        RateLimitPerMinute = tokens.RateLimitPerMinute?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
