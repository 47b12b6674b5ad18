using System.Globalization;
using System.Text.Json;
using Ciba.Application.Clients.Keys;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// A signed authentication request (CIBA Core §7.1.1, FAPI-CIBA §5.2.2, product.md §10): the
/// <c>request</c> JWT, signed with a key of the client (PS256, ES256, RS256), with <c>aud</c>
/// containing the issuer, <c>iss</c> = client id, <c>exp</c>, <c>iat</c>, <c>nbf</c> (at most 60
/// minutes apart) and a single-use <c>jti</c>; its claims are the request's parameters. Every
/// failure is <c>invalid_request</c> (CIBA has no <c>invalid_request_object</c>).
/// </summary>
internal sealed class SignedBackchannelRequest(IClientJwtValidator validator, IUsedJwtIds usedIds, IOptions<CibaOptions> options, TimeProvider time)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(60);
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);
    public const int MaxJtiLength = 200;

    private static readonly string[] AcceptedTypes = ["JWT", "oauth-authz-req+jwt"];

    public async ValueTask<Result<BackchannelRequestParameters>> ReadAsync(
        OrganizationSummary organization, ClientApplication application, string request, CancellationToken cancellationToken)
    {
        if (!application.HasKeys)
        {
            return Invalid("The client has no registered keys to verify a signed request.");
        }

        var jwt = await validator.ValidateAsync(application, request, cancellationToken);
        if (jwt is null)
        {
            return Invalid("The request object is not a JWT signed (PS256, ES256 or RS256) by a key of the client.");
        }

        if (jwt.Type is not null && !AcceptedTypes.Contains(jwt.Type, StringComparer.OrdinalIgnoreCase))
        {
            return Invalid("The request object's typ must be JWT or oauth-authz-req+jwt.");
        }

        if (!jwt.Audiences().Contains(options.Value.Issuer(organization.Handle), StringComparer.Ordinal))
        {
            return Invalid("The request object's aud must contain the issuer.");
        }

        if (jwt.Text("iss") != application.ClientId || (jwt.Has("client_id") && jwt.Text("client_id") != application.ClientId))
        {
            return Invalid("The request object's iss must be the client id.");
        }

        var now = time.GetUtcNow();
        var expiresAt = jwt.Time("exp");
        var issuedAt = jwt.Time("iat");
        var notBefore = jwt.Time("nbf");
        var jti = jwt.Text("jti");
        if (expiresAt is null || issuedAt is null || notBefore is null || jti is not { Length: > 0 and <= MaxJtiLength })
        {
            return Invalid("The request object must have exp, iat, nbf and jti.");
        }

        if (expiresAt <= now - Skew || notBefore > now + Skew || issuedAt > now + Skew)
        {
            return Invalid("The request object has expired or is not valid yet.");
        }

        if (expiresAt - notBefore > MaxLifetime || expiresAt > now + MaxLifetime + Skew)
        {
            return Invalid("The request object's lifetime must be at most 60 minutes.");
        }

        var parameters = Parameters(jwt);
        if (parameters is null)
        {
            return Invalid("The request object's parameters must be JSON strings (requested_expiry may be a number).");
        }

        if (!await usedIds.TryUseAsync(application.Id, "request:" + jti, expiresAt.Value + Skew, cancellationToken))
        {
            return Invalid("The request object was already used (jti).");
        }

        return parameters;
    }

    private static BackchannelRequestParameters? Parameters(ClientJwt jwt)
    {
        string? Text(string name, out bool valid)
        {
            valid = true;
            if (!jwt.Payload.TryGetProperty(name, out var value))
            {
                return null;
            }

            // As in the form (ProtocolForm): no control characters, except in the binding message, which has its own error.
            valid = value.ValueKind == JsonValueKind.String
                && (name == "binding_message" || !ControlCharacters.Contains(value.GetString()));
            return valid ? value.GetString() : null;
        }

        var scope = Text("scope", out var scopeValid);
        var loginHint = Text("login_hint", out var loginHintValid);
        var idTokenHint = Text("id_token_hint", out var idTokenHintValid);
        var loginHintToken = Text("login_hint_token", out var loginHintTokenValid);
        var bindingMessage = Text("binding_message", out var bindingMessageValid);
        var channel = Text("notification_channel", out var channelValid);
        var resource = Text("resource", out var resourceValid);
        var notificationToken = Text("client_notification_token", out var notificationTokenValid);
        var userCode = Text("user_code", out var userCodeValid);
        var acrValues = Text("acr_values", out var acrValuesValid);
        string? requestedExpiry = null;
        var expiryValid = true;
        if (jwt.Payload.TryGetProperty("requested_expiry", out var expiry))
        {
            // CIBA Core §7.1.1: a JSON string or a JSON number.
            (requestedExpiry, expiryValid) = expiry.ValueKind switch
            {
                JsonValueKind.String => (expiry.GetString(), !ControlCharacters.Contains(expiry.GetString())),
                JsonValueKind.Number when expiry.TryGetInt64(out var seconds) => (seconds.ToString(CultureInfo.InvariantCulture), true),
                _ => (null, false),
            };
        }

        var valid = scopeValid && loginHintValid && idTokenHintValid && loginHintTokenValid && bindingMessageValid && channelValid && resourceValid && notificationTokenValid && expiryValid && userCodeValid && acrValuesValid;
        return valid
            ? new BackchannelRequestParameters(scope, loginHint, idTokenHint, loginHintToken, bindingMessage, requestedExpiry, channel, notificationToken) { Resource = resource, UserCode = userCode, AcrValues = acrValues }
            : null;
    }

    private static Error Invalid(string description) => new(OAuthErrorCodes.InvalidRequest, description);
}
