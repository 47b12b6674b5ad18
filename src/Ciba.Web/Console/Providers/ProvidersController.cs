using Ciba.Application.Common.Results;
using Ciba.Application.Notifications.Deliveries;
using Ciba.Application.Notifications.Providers.GetProviders;
using Ciba.Application.Notifications.Providers.SendTest;
using Ciba.Application.Notifications.Providers.UpdateEmail;
using Ciba.Application.Notifications.Providers.UpdateSms;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Providers;

/// <summary>
/// Notification providers: email (SendGrid or the development inbox), SMS (Vonage or the
/// development inbox) and a test message sent through the outbox dispatcher.
/// </summary>
[Route("t/{org}/console/providers")]
public sealed class ProvidersController(IMediator mediator) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(Guid? test, CancellationToken cancellationToken) =>
        View(await LoadProvidersAsync(test, cancellationToken));

    [HttpPost("email")]
    public async Task<IActionResult> Email([Bind(Prefix = nameof(ProvidersViewModel.Email))] EmailProviderForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(
            new UpdateEmailProviderCommand(Organization.Id, form.Provider, form.ApiKey, form.FromAddress, form.FromName, form.BaseUrl),
            cancellationToken);
        return await AfterAsync(result, nameof(ProvidersViewModel.Email), "The email provider was saved.", null, model => model.With(email: form), cancellationToken);
    }

    [HttpPost("sms")]
    public async Task<IActionResult> Sms([Bind(Prefix = nameof(ProvidersViewModel.Sms))] SmsProviderForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(
            new UpdateSmsProviderCommand(Organization.Id, form.Provider, form.ApiKey, form.ApiSecret, form.From, form.BaseUrl),
            cancellationToken);
        return await AfterAsync(result, nameof(ProvidersViewModel.Sms), "The SMS provider was saved.", null, model => model.With(sms: form), cancellationToken);
    }

    [HttpPost("test")]
    public async Task<IActionResult> Test([Bind(Prefix = nameof(ProvidersViewModel.Test))] TestMessageForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await mediator.Send(new SendTestMessageCommand(Organization.Id, form.Channel, form.Recipient ?? string.Empty), cancellationToken);
        return result.IsSuccess
            ? await AfterAsync(Result.Success, nameof(ProvidersViewModel.Test), "The test message is queued; its delivery shows below.", result.Value, model => model, cancellationToken)
            : await AfterAsync(Result.Failure(result.Error), nameof(ProvidersViewModel.Test), string.Empty, null, model => model.With(test: form), cancellationToken);
    }

    /// <summary>On success: flash and back to the page (following the test message). On failure: the page again with the posted form and its errors.</summary>
    private async Task<IActionResult> AfterAsync(
        Result result, string prefix, string saved, Guid? testMessageId, Func<ProvidersViewModel, ProvidersViewModel> keepPosted, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            Flash(saved);
            return Redirect(ConsolePath(testMessageId is { } id ? $"providers?test={id}" : "providers"));
        }

        ShowErrors(result.Error with { Fields = [.. result.Error.Fields.Select(f => f with { Field = $"{prefix}.{f.Field}" })] });
        return View(nameof(Index), keepPosted(await LoadProvidersAsync(null, cancellationToken)));
    }

    private async Task<ProvidersViewModel> LoadProvidersAsync(Guid? testMessageId, CancellationToken cancellationToken)
    {
        var providers = (await mediator.Send(new GetNotificationProvidersQuery(Organization.Id), cancellationToken)).Value;
        DeliveryRow? lastTest = null;
        if (testMessageId is { } id)
        {
            var delivery = await mediator.Send(new GetDeliveryQuery(Organization.Id, id), cancellationToken);
            lastTest = delivery.IsSuccess ? DeliveryRow.From(delivery.Value) : null;
        }

        return ProvidersViewModel.From(providers, lastTest);
    }
}
