using Ciba.Application.Apis;
using Ciba.Application.Callbacks;
using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Application.Notifications;
using Ciba.Application.Tokens;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using MediatR;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// Authenticates the client, validates the parameters into a <see cref="ValidatedBackchannelRequest"/>,
/// finds the person, lets the application's settings pick the channels (product.md §4) and writes
/// the auth request together with its outgoing messages in one transaction (the outbox). The client,
/// the person named by <c>login_hint</c> and the providers are read in one round trip before the
/// client is authenticated; the errors keep their order.
/// </summary>
internal sealed class InitiateBackchannelAuthenticationHandler(
    ApiAudiences apiAudiences,
    IApplicationDbContext db,
    IBackchannelInitiationStore store,
    IUserDirectory users,
    IClientAuthenticator authenticator,
    SignedBackchannelRequest signedRequests,
    ITokenReader tokens,
    INotificationContentProtector protector,
    BackchannelCallbacks callbacks,
    IOptions<CibaOptions> options,
    Protection.BackchannelProtection protection,
    TimeProvider time,
    UserCodeCheck userCodes,
    LoginHintTokenCheck loginHintTokens)
    : IRequestHandler<InitiateBackchannelAuthenticationCommand, Result<BackchannelAuthenticationResponse>>
{
    private static readonly Error UnknownUser = new(OAuthErrorCodes.UnknownUserId, "The hint does not identify a user.");

    public async Task<Result<BackchannelAuthenticationResponse>> Handle(InitiateBackchannelAuthenticationCommand request, CancellationToken cancellationToken)
    {
        if (!authenticator.CanLookUp(request.Credentials))
        {
            return ClientAuthenticator.InvalidClient;
        }

        var organization = request.Organization;
        var found = await store.FindAsync(organization.Id, request.Credentials.ClientId!, request.Parameters.LoginHintToLookUp, cancellationToken);
        var authenticated = await authenticator.AuthenticateAsync(organization, request.Credentials, found.Client, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var parameters = await ParametersAsync(request, found.Client!, cancellationToken);
        if (!parameters.IsSuccess)
        {
            return parameters.Error;
        }

        var validated = BackchannelRequestValidator.Validate(authenticated.Value, parameters.Value, found.Client?.ApiScopes);
        if (!validated.IsSuccess)
        {
            return validated.Error;
        }

        // CIBA Core §7.1: ping and push requests carry client_notification_token.
        if (BackchannelCallbacks.CheckNotificationToken(found.Client!.TokenDeliveryMode, parameters.Value.ClientNotificationToken) is { } tokenError)
        {
            return tokenError;
        }

        var valid = validated.Value;
        var client = valid.Client;

        // product.md §13, RFC 8707: the APIs the access token will be for.
        var audiences = await apiAudiences.ResolveAsync(organization.Id, valid.Scope, parameters.Value.Resource, cancellationToken);
        if (!audiences.IsSuccess)
        {
            return audiences.Error;
        }

        UserContact? user;

        // The lookup read the anti-fatigue counts only for the person it found by the form's login_hint.
        var countsRead = false;
        if (valid.LoginHint is not null)
        {
            // A signed request's hint was not known when the client was looked up.
            countsRead = request.SignedRequest is null;
            user = countsRead ? found.User : await users.FindByLoginHintAsync(organization.Id, valid.LoginHint, cancellationToken);
        }
        else if (valid.LoginHintToken is not null)
        {
            var hinted = await loginHintTokens.FindUserAsync(organization, valid.LoginHintToken, cancellationToken);
            if (!hinted.IsSuccess)
            {
                return hinted.Error;
            }

            user = hinted.Value;
        }
        else
        {
            var hinted = await FindUserByIdTokenHintAsync(organization, valid.IdTokenHint!, client, cancellationToken);
            if (!hinted.IsSuccess)
            {
                return hinted.Error;
            }

            user = hinted.Value;
        }

        var now = time.GetUtcNow();
        if (user is null || user.IsLockedAt(now))
        {
            return UnknownUser;
        }

        // CIBA Core §7.1, product.md §12: the user code, once the person is known; refused, nothing is stored or sent.
        if (await userCodes.CheckAsync(found.Client!, user.Id, parameters.Value.UserCode, cancellationToken) is { } userCodeError)
        {
            return userCodeError;
        }

        var reach = new ChannelReach(
            Email: found.EmailProvider != EmailProviderKind.None && user.EmailVerified && !string.IsNullOrEmpty(user.Email),
            Sms: found.SmsProvider != SmsProviderKind.None && !string.IsNullOrEmpty(user.MobileNumber));
        var selection = client.CibaSettings.SelectChannels(valid.NotificationChannel, reach);
        if (!selection.IsSuccess)
        {
            return ChannelError(selection.Failure);
        }

        var channels = selection.Channels;

        // product.md §14: the anti-fatigue limits; over one, nothing is stored or sent.
        if (await protection.CheckLimitsAsync(found, client.Id, user.Id, countsRead, cancellationToken) is { } overLimit)
        {
            return overLimit;
        }

        var settings = client.CibaSettings;
        var authReqId = RandomTokens.Create();
        var linkKey = RandomTokens.Create();
        var authRequest = BackchannelAuthenticationRequest.Create(
            organization.Id,
            client.Id,
            user.Id,
            SecretHashing.HashToken(authReqId),
            SecretHashing.HashToken(linkKey),
            valid.Scope,
            valid.BindingMessage,
            channels,
            valid.ExpiresIn,
            settings.PollingIntervalSeconds,
            now);
        authRequest.SetAudience(audiences.Value);
        authRequest.RequireAcr(found.Client!.MinimumAcr, valid.AcrValues);
        callbacks.Attach(authRequest, found.Client, authReqId, parameters.Value.ClientNotificationToken);
        db.BackchannelRequests.Add(authRequest);

        var link = options.Value.AuthorizeLink(organization.Handle, linkKey);
        if ((channels & (NotificationChannels.Email | NotificationChannels.Sms)) != NotificationChannels.None)
        {
            var content = protector.Protect(new NotificationContent(client.Name, valid.BindingMessage, link, authRequest.ExpiresAt, now));
            if ((channels & NotificationChannels.Email) != NotificationChannels.None)
            {
                db.OutgoingMessages.Add(OutgoingMessage.Create(organization.Id, authRequest.Id, MessageChannel.Email, user.Email!, content, authRequest.ExpiresAt, now));
            }

            if ((channels & NotificationChannels.Sms) != NotificationChannels.None)
            {
                db.OutgoingMessages.Add(OutgoingMessage.Create(organization.Id, authRequest.Id, MessageChannel.Sms, user.MobileNumber!, content, authRequest.ExpiresAt, now));
            }
        }

        protection.RecordAccepted(organization.Id, client.ClientId, client.Id, user.Id, channels);
        await store.SaveAcceptedAsync(cancellationToken);
        var authUrl = channels == NotificationChannels.External ? link : null;
        return new BackchannelAuthenticationResponse(authReqId, valid.ExpiresIn, settings.PollingIntervalSeconds, authUrl);
    }

    /// <summary>
    /// CIBA Core §7.2 step 2, after the client is authenticated: a signed request's claims are the
    /// parameters (and nothing else may be in the form); a client that must sign gets nothing unsigned.
    /// </summary>
    private async ValueTask<Result<BackchannelRequestParameters>> ParametersAsync(
        InitiateBackchannelAuthenticationCommand request, ClientApplication application, CancellationToken cancellationToken)
    {
        if (request.SignedRequest is null)
        {
            return application.RequireSignedRequests
                ? new Error(OAuthErrorCodes.InvalidRequest, "This client must send its requests signed, in the request parameter.")
                : request.Parameters;
        }

        if (request.ParametersOutsideSignedRequest)
        {
            return new Error(OAuthErrorCodes.InvalidRequest, "With a signed request, every authentication request parameter must be inside the request JWT.");
        }

        return await signedRequests.ReadAsync(request.Organization, application, request.SignedRequest, cancellationToken);
    }

    private static Error ChannelError(ChannelSelectionFailure failure) => failure switch
    {
        ChannelSelectionFailure.EmailUnreachable => new Error(OAuthErrorCodes.InvalidRequest, "The email channel cannot reach this user: no email provider or no verified email address."),
        ChannelSelectionFailure.SmsUnreachable => new Error(OAuthErrorCodes.InvalidRequest, "The sms channel cannot reach this user: no SMS provider or no mobile number."),
        _ => new Error(OAuthErrorCodes.InvalidRequest, "No enabled notification channel can reach this user."),
    };

    /// <summary>product.md §12: a hint that is not our valid ID token for this client, or expired over 30 days ago, is <c>invalid_request</c>.</summary>
    private async Task<Result<UserContact?>> FindUserByIdTokenHintAsync(
        OrganizationSummary organization, string idTokenHint, AuthenticatedClient client, CancellationToken cancellationToken)
    {
        var issuer = options.Value.Issuer(organization.Handle);
        var hint = await tokens.ReadIdTokenHintAsync(organization.Id, idTokenHint, issuer, client.ClientId, cancellationToken);
        return hint.Status switch
        {
            IdTokenHintStatus.Valid => await users.FindByIdAsync(organization.Id, hint.UserId!.Value, cancellationToken),
            IdTokenHintStatus.ExpiredTooLongAgo => new Error(OAuthErrorCodes.InvalidRequest, "The id_token_hint expired more than 30 days ago."),
            _ => new Error(OAuthErrorCodes.InvalidRequest, "The id_token_hint is not an ID token this organization issued to this client."),
        };
    }
}
