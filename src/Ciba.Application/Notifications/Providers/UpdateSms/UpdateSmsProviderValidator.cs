using Ciba.Domain.Notifications;
using FluentValidation;

namespace Ciba.Application.Notifications.Providers.UpdateSms;

internal sealed class UpdateSmsProviderValidator : AbstractValidator<UpdateSmsProviderCommand>
{
    public UpdateSmsProviderValidator()
    {
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
            RuleFor(c => c.BaseUrl)
                .MaximumLength(500).WithMessage("The URL is too long.")
                .Must(url => string.IsNullOrWhiteSpace(url) || ProviderDefaults.IsHttpUrl(url.Trim()))
                .WithMessage("Enter an absolute http or https URL, or leave it blank for Vonage's.");
        });
    }
}
