using Ciba.Domain.Notifications;
using FluentValidation;

namespace Ciba.Application.Notifications.Providers.UpdateEmail;

internal sealed class UpdateEmailProviderValidator : AbstractValidator<UpdateEmailProviderCommand>
{
    public UpdateEmailProviderValidator(IProviderEndpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        RuleFor(c => c.Provider)
            .Must(p => p != EmailProviderKind.DevelopmentInbox || policy.DevelopmentInboxAllowed)
            .WithMessage("The development inbox is available only when Ciba runs in Development.");
        RuleFor(c => c.Provider).IsInEnum().WithMessage("Choose an email provider.");
        When(c => c.Provider == EmailProviderKind.SendGrid, () =>
        {
            RuleFor(c => c.FromAddress)
                .NotEmpty().WithMessage("Enter the address messages are sent from.")
                .MaximumLength(320).WithMessage("The address is too long.")
                .EmailAddress().WithMessage("Enter a valid email address.");
            RuleFor(c => c.FromName).MaximumLength(100).WithMessage("The name is at most 100 characters.");
            RuleFor(c => c.ApiKey).MaximumLength(500).WithMessage("The API key is too long.");
            RuleFor(c => c.BaseUrl).Cascade(CascadeMode.Stop)
                .MaximumLength(500).WithMessage("The URL is too long.")
                .Must(url => string.IsNullOrWhiteSpace(url) || policy.CustomBaseUrlsAllowed)
                .WithMessage("Custom provider URLs are turned off by the operator; leave it blank for SendGrid's.")
                .Must(url => string.IsNullOrWhiteSpace(url) || ProviderDefaults.IsHttpUrl(url.Trim()))
                .WithMessage("Enter an absolute http or https URL, or leave it blank for SendGrid's.")
                .Must(url => string.IsNullOrWhiteSpace(url) || !ProviderDefaults.IsHttpUrl(url.Trim()) || policy.RefusalFor(new Uri(url.Trim())) is null)
                .WithMessage("Enter an https URL; plain http is accepted only in Development.");
        });
    }
}
