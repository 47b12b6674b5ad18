using Ciba.Domain.Applications;
using FluentValidation;

namespace Ciba.Application.Console.Applications.UpdateProtocol;

internal sealed class UpdateApplicationProtocolValidator : AbstractValidator<UpdateApplicationProtocolCommand>
{
    public UpdateApplicationProtocolValidator()
    {
        RuleFor(c => c.GrantTypes)
            .NotNull()
            .Must(grantTypes => grantTypes.All(GrantTypes.IsServed)).WithMessage("Choose grant types from the list.");
        When(c => c.GrantTypes is not null && c.AllowsCiba, () =>
        {
            RuleFor(c => c.ExpirySeconds)
                .Must(value => ProtocolValues.ParseSeconds(value) is { } seconds && CibaSettings.IsValidExpiry(seconds))
                .WithMessage($"Enter a whole number of seconds from {CibaSettings.MinExpirySeconds} to {CibaSettings.MaxExpirySeconds}.");
            RuleFor(c => c.Channels)
                .Must(channels => ProtocolValues.ParseChannels(channels) is { } parsed && CibaSettings.IsValidChannelSet(parsed))
                .WithMessage("Choose at least one notification channel: Email, SMS or External.");
            RuleFor(c => c.PollingIntervalSeconds)
                .Must(value => ProtocolValues.ParseSeconds(value) is { } seconds && CibaSettings.IsValidPollingInterval(seconds))
                .WithMessage($"Enter a whole number of seconds from {CibaSettings.MinPollingIntervalSeconds} to {CibaSettings.MaxPollingIntervalSeconds}.");
        });
    }
}
