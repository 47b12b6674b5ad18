using Ciba.Domain.Notifications;
using FluentValidation;

namespace Ciba.Application.Notifications.Providers.UpdateSms;

internal sealed class UpdateSmsProviderValidator : AbstractValidator<UpdateSmsProviderCommand>
{
    public UpdateSmsProviderValidator(IProviderEndpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        RuleFor(c => c.Provider)
            .Must(p => p != SmsProviderKind.DevelopmentInbox || policy.DevelopmentInboxAllowed)
            .WithMessage("The development inbox is available only when Ciba runs in Development.");
        RuleFor(c => c.Provider).IsInEnum().WithMessage("Choose an SMS provider.");
        When(c => c.Provider == SmsProviderKind.Vonage, () =>
        {
            RuleFor(c => c.ApiKey)
                .NotEmpty().WithMessage("Enter the Vonage API key.")
                .MaximumLength(100).WithMessage("The API key is too long.");
            RuleFor(c => c.ApiSecret).MaximumLength(200).WithMessage("The API secret is too long.");
            RuleFor(c => c.From)
                .NotEmpty().WithMessage("Enter the sender id (a phone number or a name).")
                .MaximumLength(20).WithMessage("The sender id is at most 20 characters.");
            RuleFor(c => c.BaseUrl).Cascade(CascadeMode.Stop)
                .MaximumLength(500).WithMessage("The URL is too long.")
                .Must(url => string.IsNullOrWhiteSpace(url) || policy.CustomBaseUrlsAllowed)
                .WithMessage("Custom provider URLs are turned off by the operator; leave it blank for Vonage's.")
                .Must(url => string.IsNullOrWhiteSpace(url) || ProviderDefaults.IsHttpUrl(url.Trim()))
                .WithMessage("Enter an absolute http or https URL, or leave it blank for Vonage's.")
                .Must(url => string.IsNullOrWhiteSpace(url) || !ProviderDefaults.IsHttpUrl(url.Trim()) || policy.RefusalFor(new Uri(url.Trim())) is null)
                .WithMessage("Enter an https URL; plain http is accepted only in Development.");
        });
    }
}
