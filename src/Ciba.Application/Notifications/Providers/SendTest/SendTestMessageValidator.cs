using Ciba.Domain.Notifications;
using Ciba.Domain.Users;
using FluentValidation;

namespace Ciba.Application.Notifications.Providers.SendTest;

internal sealed class SendTestMessageValidator : AbstractValidator<SendTestMessageCommand>
{
    public SendTestMessageValidator()
    {
        RuleFor(c => c.Channel).IsInEnum().WithMessage("Choose email or SMS.");
        RuleFor(c => c.Recipient).NotEmpty().WithMessage("Enter a recipient.");
        When(c => c.Channel == MessageChannel.Email && !string.IsNullOrEmpty(c.Recipient), () =>
            RuleFor(c => c.Recipient)
                .MaximumLength(320).WithMessage("The address is too long.")
                .EmailAddress().WithMessage("Enter a valid email address."));
        When(c => c.Channel == MessageChannel.Sms && !string.IsNullOrEmpty(c.Recipient), () =>
            RuleFor(c => c.Recipient)
                .Must(number => PhoneNumber.NormalizeToE164(number) is not null)
                .WithMessage("Enter a mobile number in international format, such as +15550100001."));
    }
}
