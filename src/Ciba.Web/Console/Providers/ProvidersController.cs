using Ciba.Application.Common.Results;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Console.Providers;

/// <summary>
/// Notification providers: email (SendGrid or the development inbox), SMS (Vonage or the
/// development inbox) and a test message. The use cases behind this page are built on the
/// notification branch; the four methods under "Use cases" are where they are called.
/// </summary>
[Route("t/{org}/console/providers")]
public sealed class ProvidersController : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(Guid? test, CancellationToken cancellationToken) =>
        View(await LoadProvidersAsync(test, cancellationToken));

    [HttpPost("email")]
    public async Task<IActionResult> Email([Bind(Prefix = nameof(ProvidersViewModel.Email))] EmailProviderForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await SaveEmailProviderAsync(form, cancellationToken);
        return await AfterAsync(result, nameof(ProvidersViewModel.Email), "The email provider was saved.", null, cancellationToken);
    }

    [HttpPost("sms")]
    public async Task<IActionResult> Sms([Bind(Prefix = nameof(ProvidersViewModel.Sms))] SmsProviderForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await SaveSmsProviderAsync(form, cancellationToken);
        return await AfterAsync(result, nameof(ProvidersViewModel.Sms), "The SMS provider was saved.", null, cancellationToken);
    }

    [HttpPost("test")]
    public async Task<IActionResult> Test([Bind(Prefix = nameof(ProvidersViewModel.Test))] TestMessageForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var result = await SendTestMessageAsync(form, cancellationToken);
        return result.IsSuccess
            ? await AfterAsync(Result.Success, nameof(ProvidersViewModel.Test), "The test message is queued; its delivery shows below.", result.Value, cancellationToken)
            : await AfterAsync(Result.Failure(result.Error), nameof(ProvidersViewModel.Test), string.Empty, null, cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(Result result, string prefix, string saved, Guid? testMessageId, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            Flash(saved);
            return Redirect(ConsolePath(testMessageId is { } id ? $"providers?test={id}" : "providers"));
        }

        ShowErrors(result.Error with { Fields = [.. result.Error.Fields.Select(f => f with { Field = $"{prefix}.{f.Field}" })] });
        return View(nameof(Index), await LoadProvidersAsync(null, cancellationToken));
    }

    // Use cases. The integrator replaces each body with its MediatR call:
    //   LoadProvidersAsync    → GetNotificationProvidersQuery (+ GetDeliveryQuery for ?test=)
    //   SaveEmailProviderAsync → UpdateEmailProviderCommand
    //   SaveSmsProviderAsync   → UpdateSmsProviderCommand
    //   SendTestMessageAsync   → SendTestMessageCommand
    private static Task<ProvidersViewModel> LoadProvidersAsync(Guid? testMessageId, CancellationToken cancellationToken)
    {
        _ = testMessageId;
        _ = cancellationToken;
        return Task.FromResult(new ProvidersViewModel { Connected = false });
    }

    private static Task<Result> SaveEmailProviderAsync(EmailProviderForm form, CancellationToken cancellationToken)
    {
        _ = form;
        _ = cancellationToken;
        return Task.FromResult(Result.Failure(NotConnected));
    }

    private static Task<Result> SaveSmsProviderAsync(SmsProviderForm form, CancellationToken cancellationToken)
    {
        _ = form;
        _ = cancellationToken;
        return Task.FromResult(Result.Failure(NotConnected));
    }

    private static Task<Result<Guid>> SendTestMessageAsync(TestMessageForm form, CancellationToken cancellationToken)
    {
        _ = form;
        _ = cancellationToken;
        return Task.FromResult(Result<Guid>.Failure(NotConnected));
    }

    private static Error NotConnected => new(ErrorCodes.Conflict, "Provider settings are not connected in this build yet.");
}
