using Ciba.Application.Console.Organizations.Retention;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Organizations;

/// <summary>The organization's settings: how long finished requests, messages and audit events are kept (product.md §14).</summary>
[Route("t/{org}/console/settings")]
public sealed class SettingsController(IMediator mediator) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var settings = await mediator.Send(new GetRetentionSettingsQuery(Organization.Id), cancellationToken);
        return View(new RetentionSettingsViewModel
        {
            RequestRetentionDays = settings.RequestRetentionDays,
            MessageRetentionDays = settings.MessageRetentionDays,
            AuditRetentionDays = settings.AuditRetentionDays,
        });
    }

    [HttpPost("")]
    public async Task<IActionResult> Index([FromForm] RetentionSettingsViewModel form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(
            new UpdateRetentionSettingsCommand(Organization.Id, form.RequestRetentionDays, form.MessageRetentionDays, form.AuditRetentionDays), cancellationToken);
        if (!result.IsSuccess)
        {
            ShowErrors(result.Error);
            return View(form);
        }

        Flash("The retention periods were saved.");
        return Redirect(ConsolePath("settings"));
    }
}

public sealed class RetentionSettingsViewModel
{
    public int? RequestRetentionDays { get; set; }

    public int? MessageRetentionDays { get; set; }

    public int? AuditRetentionDays { get; set; }
}
