using Ciba.Application.Common.Behaviours;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using FluentValidation;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>The parameter checks of CIBA Core §7.1–§7.2 and product.md §3, in the order they are answered.</summary>
internal sealed class InitiateBackchannelAuthenticationValidator : AbstractValidator<AuthenticatedBackchannelRequest>
{
    public InitiateBackchannelAuthenticationValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        ClassLevelCascadeMode = CascadeMode.Stop;

        // CIBA Core §13: the client is not authorized to use CIBA.
        RuleFor(c => c.Client.AllowsCiba)
            .Equal(true).WithProtocolError(OAuthErrorCodes.UnauthorizedClient, "The client is not allowed to use CIBA.");

        RuleFor(c => c.Request.Scope)
            .NotEmpty().WithProtocolError(OAuthErrorCodes.InvalidRequest, "The scope parameter is required.")
            .Must(scope => Scopes.Parse(scope).Contains(Scopes.OpenId)).WithProtocolError(OAuthErrorCodes.InvalidScope, "The scope must contain openid.")
            .Must(scope => Scopes.Parse(scope).All(Scopes.IsSupported)).WithProtocolError(OAuthErrorCodes.InvalidScope, "The scope contains an unsupported value.");

        // CIBA Core §7.2 step 3: one and only one hint.
        RuleFor(c => c)
            .Must(c => CountHints(c) == 1).WithProtocolError(OAuthErrorCodes.InvalidRequest, "Exactly one of login_hint, id_token_hint and login_hint_token is required.");

        RuleFor(c => c.Request.LoginHintToken)
            .Empty().WithProtocolError(OAuthErrorCodes.InvalidRequest, "login_hint_token is not supported; use login_hint or id_token_hint.");

        RuleFor(c => c.Request.BindingMessage!)
            .Must(BackchannelParameters.IsDisplayableBindingMessage)
            .When(c => !string.IsNullOrEmpty(c.Request.BindingMessage))
            .WithProtocolError(OAuthErrorCodes.InvalidBindingMessage, "The binding_message must be 1 to 64 printable characters (at most 256 bytes) without angle brackets.");

        RuleFor(c => c.Request.RequestedExpiry!)
            .Must(value => BackchannelParameters.TryParseRequestedExpiry(value, out _))
            .When(c => c.Request.RequestedExpiry is not null)
            .WithProtocolError(OAuthErrorCodes.InvalidRequest, "The requested_expiry must be a positive integer.");

        RuleFor(c => c.Request.NotificationChannel!)
            .Must(value => BackchannelParameters.ParseChannel(value) is not null)
            .When(c => c.Request.NotificationChannel is not null)
            .WithProtocolError(OAuthErrorCodes.InvalidRequest, "The notification_channel must be email, sms or external.");

        RuleFor(c => c)
            .Must(c => c.Client.CibaSettings.Allows(BackchannelParameters.ParseChannel(c.Request.NotificationChannel!)!.Value))
            .When(c => c.Request.NotificationChannel is not null)
            .WithProtocolError(OAuthErrorCodes.InvalidRequest, "The notification_channel is not enabled for this client.");
    }

    private static int CountHints(AuthenticatedBackchannelRequest command) =>
        (string.IsNullOrEmpty(command.Request.LoginHint) ? 0 : 1)
        + (string.IsNullOrEmpty(command.Request.IdTokenHint) ? 0 : 1)
        + (string.IsNullOrEmpty(command.Request.LoginHintToken) ? 0 : 1);
}
