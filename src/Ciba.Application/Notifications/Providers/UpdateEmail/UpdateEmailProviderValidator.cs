using Ciba.Domain.Notifications;
using FluentValidation;

namespace Ciba.Application.Notifications.Providers.UpdateEmail;

internal sealed class UpdateEmailProviderValidator : AbstractValidator<UpdateEmailProviderCommand>
{
    public UpdateEmailProviderValidator()
    {
        RuleFor(c => c.Provider).IsInEnum().WithMessage("Choose an email provider.");
        When(c => c.Provider == EmailProviderKind.SendGrid, () =>
        {
            RuleFor(c => c.FromAddress)
                .NotEmpty().WithMessage("Enter the address messages are sent from.")
                .MaximumLength(320).WithMessage("The address is too long.")
                .EmailAddress().WithMessage("Enter a valid email address.");
            RuleFor(c => c.FromName).MaximumLength(100).WithMessage("The name is at most 100 characters.");
            RuleFor(c => c.ApiKey).MaximumLength(500).WithMessage("The API key is too long.");
            RuleFor(c => c.BaseUrl)
                .MaximumLength(500).WithMessage("The URL is too long.")
                .Must(url => string.IsNullOrWhiteSpace(url) || ProviderDefaults.IsHttpUrl(url.Trim()))
                .WithMessage("Enter an absolute http or https URL, or leave it blank for SendGrid's.");
        });
    }
}
