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
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// Authenticates the client, checks the parameters, finds the person, picks the channels
/// (product.md §4) and writes the auth request together with its outgoing messages in one
/// transaction (the outbox). The client, the person named by <c>login_hint</c> and the providers
/// are read in one round trip before the parameters are checked; the errors keep their order.
/// </summary>
internal sealed class InitiateBackchannelAuthenticationHandler(
    IApplicationDbContext db,
    IBackchannelInitiationStore store,
    IUserDirectory users,
    IValidator<AuthenticatedBackchannelRequest> validator,
    ITokenReader tokens,
    INotificationContentProtector protector,
    BackchannelCallbacks callbacks,
    IOptions<CibaOptions> options,
    TimeProvider time)
    : IRequestHandler<InitiateBackchannelAuthenticationCommand, Result<BackchannelAuthenticationResponse>>
{
    private static readonly Error UnknownUser = new(OAuthErrorCodes.UnknownUserId, "The hint does not identify a user.");

    public async Task<Result<BackchannelAuthenticationResponse>> Handle(InitiateBackchannelAuthenticationCommand request, CancellationToken cancellationToken)
    {
        if (!ClientSecretVerification.IsComplete(request.Credentials))
        {
            return ClientSecretVerification.InvalidClient;
        }

        var organization = request.Organization;
        var loginHint = string.IsNullOrEmpty(request.LoginHint) ? null : request.LoginHint;
        var found = await store.FindAsync(organization.Id, request.Credentials.ClientId!, loginHint, cancellationToken);
        var authenticated = ClientSecretVerification.Verify(request.Credentials, found.Client);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var client = authenticated.Value;
        var validation = await validator.ValidateAsync(new AuthenticatedBackchannelRequest(client, request), cancellationToken);
        if (!validation.IsValid)
        {
            var failure = validation.Errors[0];
            return new Error(failure.ErrorCode, failure.ErrorMessage);
        }

        // CIBA Core §7.1: ping and push requests carry client_notification_token.
        if (BackchannelCallbacks.CheckNotificationToken(found.Client!.TokenDeliveryMode, request.ClientNotificationToken) is { } tokenError)
        {
            return tokenError;
        }

        UserContact? user;
        if (loginHint is not null)
        {
            user = found.User;
        }
        else
        {
            var hinted = await FindUserByIdTokenHintAsync(request, client, cancellationToken);
            if (!hinted.IsSuccess)
            {
                return hinted.Error;
            }

            user = hinted.Value;
        }

        if (user is null || user.IsLockedAt(time.GetUtcNow()))
        {
            return UnknownUser;
        }

        var channels = SelectChannels(request, client, user, found);
        if (!channels.IsSuccess)
        {
            return channels.Error;
        }

        var settings = client.CibaSettings;
        var expiresIn = settings.ExpirySeconds;
        if (request.RequestedExpiry is not null && BackchannelParameters.TryParseRequestedExpiry(request.RequestedExpiry, out var requested))
        {
            expiresIn = Math.Min(requested, expiresIn);
        }

        var now = time.GetUtcNow();
        var authReqId = RandomTokens.Create();
        var linkKey = RandomTokens.Create();
        var bindingMessage = string.IsNullOrEmpty(request.BindingMessage) ? null : request.BindingMessage;
        var authRequest = BackchannelAuthenticationRequest.Create(
            organization.Id,
            client.Id,
            user.Id,
            SecretHashing.HashToken(authReqId),
            SecretHashing.HashToken(linkKey),
            string.Join(' ', Scopes.Parse(request.Scope)),
            bindingMessage,
            channels.Value,
            expiresIn,
            settings.PollingIntervalSeconds,
            now);
        callbacks.Attach(authRequest, found.Client, authReqId, request.ClientNotificationToken);
        db.BackchannelRequests.Add(authRequest);

        var link = options.Value.AuthorizeLink(organization.Handle, linkKey);
        if ((channels.Value & (NotificationChannels.Email | NotificationChannels.Sms)) != NotificationChannels.None)
        {
            var content = protector.Protect(new NotificationContent(client.Name, bindingMessage, link, authRequest.ExpiresAt, now));
            if ((channels.Value & NotificationChannels.Email) != NotificationChannels.None)
            {
                db.OutgoingMessages.Add(OutgoingMessage.Create(organization.Id, authRequest.Id, MessageChannel.Email, user.Email!, content, authRequest.ExpiresAt, now));
            }

            if ((channels.Value & NotificationChannels.Sms) != NotificationChannels.None)
            {
                db.OutgoingMessages.Add(OutgoingMessage.Create(organization.Id, authRequest.Id, MessageChannel.Sms, user.MobileNumber!, content, authRequest.ExpiresAt, now));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var authUrl = channels.Value == NotificationChannels.External ? link : null;
        return new BackchannelAuthenticationResponse(authReqId, expiresIn, settings.PollingIntervalSeconds, authUrl);
    }

    /// <summary>product.md §12: a hint that is not our valid ID token for this client, or expired over 30 days ago, is <c>invalid_request</c>.</summary>
    private async Task<Result<UserContact?>> FindUserByIdTokenHintAsync(
        InitiateBackchannelAuthenticationCommand request, AuthenticatedClient client, CancellationToken cancellationToken)
    {
        var issuer = options.Value.Issuer(request.Organization.Handle);
        var hint = await tokens.ReadIdTokenHintAsync(request.Organization.Id, request.IdTokenHint!, issuer, client.ClientId, cancellationToken);
        return hint.Status switch
        {
            IdTokenHintStatus.Valid => await users.FindByIdAsync(request.Organization.Id, hint.UserId!.Value, cancellationToken),
            IdTokenHintStatus.ExpiredTooLongAgo => new Error(OAuthErrorCodes.InvalidRequest, "The id_token_hint expired more than 30 days ago."),
            _ => new Error(OAuthErrorCodes.InvalidRequest, "The id_token_hint is not an ID token this organization issued to this client."),
        };
    }

    /// <summary>product.md §4: the named channel if it can reach the person; otherwise External alone, or every reachable Email/SMS channel.</summary>
    private static Result<NotificationChannels> SelectChannels(
        InitiateBackchannelAuthenticationCommand request, AuthenticatedClient client, UserContact user, BackchannelInitiationLookup found)
    {
        var enabled = client.CibaSettings.Channels;
        var named = request.NotificationChannel is null ? null : BackchannelParameters.ParseChannel(request.NotificationChannel);
        if (named == NotificationChannels.External || (named is null && enabled == NotificationChannels.External))
        {
            return NotificationChannels.External;
        }

        var emailReaches = found.EmailProvider != EmailProviderKind.None && user.EmailVerified && !string.IsNullOrEmpty(user.Email);
        var smsReaches = found.SmsProvider != SmsProviderKind.None && !string.IsNullOrEmpty(user.MobileNumber);

        if (named == NotificationChannels.Email)
        {
            return emailReaches
                ? NotificationChannels.Email
                : new Error(OAuthErrorCodes.InvalidRequest, "The email channel cannot reach this user: no email provider or no verified email address.");
        }

        if (named == NotificationChannels.Sms)
        {
            return smsReaches
                ? NotificationChannels.Sms
                : new Error(OAuthErrorCodes.InvalidRequest, "The sms channel cannot reach this user: no SMS provider or no mobile number.");
        }

        var selected = NotificationChannels.None;
        if (emailReaches && (enabled & NotificationChannels.Email) != NotificationChannels.None)
        {
            selected |= NotificationChannels.Email;
        }

        if (smsReaches && (enabled & NotificationChannels.Sms) != NotificationChannels.None)
        {
            selected |= NotificationChannels.Sms;
        }

        return selected != NotificationChannels.None
            ? selected
            : new Error(OAuthErrorCodes.InvalidRequest, "No enabled notification channel can reach this user.");
    }
}
