using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// The parameter checks of CIBA Core §7.1–§7.2 and product.md §3 for an authenticated client, in
/// the order they are answered; the first failure is the answer. Each parameter is parsed once,
/// into a <see cref="ValidatedBackchannelRequest"/>.
/// </summary>
internal static class BackchannelRequestValidator
{
    /// <param name="apiScopes">The API scopes the client may request (product.md §13).</param>
    public static Result<ValidatedBackchannelRequest> Validate(AuthenticatedClient client, BackchannelRequestParameters parameters, IReadOnlyList<string>? apiScopes = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(parameters);

        // CIBA Core §13: the client is not authorized to use CIBA.
        if (!client.AllowsCiba)
        {
            return new Error(OAuthErrorCodes.UnauthorizedClient, "The client is not allowed to use CIBA.");
        }

        if (string.IsNullOrEmpty(parameters.Scope))
        {
            return new Error(OAuthErrorCodes.InvalidRequest, "The scope parameter is required.");
        }

        var scopes = Scopes.Parse(parameters.Scope);
        if (scopes.Count == 0 || scopes[0] != Scopes.OpenId)
        {
            return new Error(OAuthErrorCodes.InvalidScope, "The scope must contain openid.");
        }

        if (!scopes.All(s => Scopes.IsSupported(s) || (apiScopes?.Contains(s, StringComparer.Ordinal) ?? false)))
        {
            return new Error(OAuthErrorCodes.InvalidScope, "The scope contains an unsupported value.");
        }

        var loginHint = string.IsNullOrEmpty(parameters.LoginHint) ? null : parameters.LoginHint;
        var idTokenHint = string.IsNullOrEmpty(parameters.IdTokenHint) ? null : parameters.IdTokenHint;
        var hasLoginHintToken = !string.IsNullOrEmpty(parameters.LoginHintToken);

        // CIBA Core §7.2 step 3: one and only one hint.
        if ((loginHint is null ? 0 : 1) + (idTokenHint is null ? 0 : 1) + (hasLoginHintToken ? 1 : 0) != 1)
        {
            return new Error(OAuthErrorCodes.InvalidRequest, "Exactly one of login_hint, id_token_hint and login_hint_token is required.");
        }

        var bindingMessage = string.IsNullOrEmpty(parameters.BindingMessage) ? null : parameters.BindingMessage;
        if (bindingMessage is not null && !BackchannelParameters.IsDisplayableBindingMessage(bindingMessage))
        {
            return new Error(OAuthErrorCodes.InvalidBindingMessage, "The binding_message must be 1 to 64 printable characters (at most 256 bytes) without angle brackets.");
        }

        var expiresIn = client.CibaSettings.ExpirySeconds;
        if (parameters.RequestedExpiry is not null)
        {
            if (!BackchannelParameters.TryParseRequestedExpiry(parameters.RequestedExpiry, out var requested))
            {
                return new Error(OAuthErrorCodes.InvalidRequest, "The requested_expiry must be a positive integer.");
            }

            expiresIn = Math.Min(requested, expiresIn);
        }

        NotificationChannels? channel = null;
        if (parameters.NotificationChannel is not null)
        {
            channel = BackchannelParameters.ParseChannel(parameters.NotificationChannel);
            if (channel is null)
            {
                return new Error(OAuthErrorCodes.InvalidRequest, "The notification_channel must be email, sms or external.");
            }

            if (!client.CibaSettings.Allows(channel.Value))
            {
                return new Error(OAuthErrorCodes.InvalidRequest, "The notification_channel is not enabled for this client.");
            }
        }

        return new ValidatedBackchannelRequest(client, string.Join(' ', scopes), loginHint, idTokenHint, bindingMessage, expiresIn, channel)
        {
            LoginHintToken = hasLoginHintToken ? parameters.LoginHintToken : null,
            // product.md §12: unknown acr values are ignored, never refused.
            AcrValues = Domain.Authentication.AcrLevels.ParseRequested(parameters.AcrValues),
        };
    }
}
