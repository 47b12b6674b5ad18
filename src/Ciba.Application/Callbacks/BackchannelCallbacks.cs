using System.Text.Json.Nodes;
using Ciba.Application.Apis;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Application.Tokens;
using Ciba.Application.Tokens.Refresh;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Callbacks;

/// <summary>
/// Ping and push (CIBA Core §10.2, §10.3, §12; product.md §11; docs/decisions/0024-ping-and-push-callbacks.md):
/// keeps the callback details of a ping or push request, and when the request ends turns them into
/// one outbox message (channel Ping or Push), written in the same transaction as the decision.
/// </summary>
public sealed class BackchannelCallbacks(
    IApplicationDbContext db, ICallbackProtector protector, ITokenIssuer issuer, RefreshTokens refreshTokens, IOptions<CibaOptions> options)
{
    /// <summary>A callback is retried until the request expires, but always for at least this long.</summary>
    public static readonly TimeSpan MinimumDeliveryWindow = TimeSpan.FromSeconds(60);

    /// <summary>CIBA Core §7.1: ping and push requests carry a valid <c>client_notification_token</c>; poll requests need none.</summary>
    public static Error? CheckNotificationToken(TokenDeliveryMode mode, string? token)
    {
        if (mode == TokenDeliveryMode.Poll)
        {
            return null;
        }

        if (string.IsNullOrEmpty(token))
        {
            return new Error(OAuthErrorCodes.InvalidRequest, "The client_notification_token parameter is required for ping and push clients.");
        }

        return ClientNotificationToken.IsValid(token)
            ? null
            : new Error(OAuthErrorCodes.InvalidRequest, "The client_notification_token must be at most 1024 characters of b64token syntax.");
    }

    /// <summary>Keeps what the callback will need on a new request of a ping or push client (nothing for poll).</summary>
    public void Attach(BackchannelAuthenticationRequest request, ClientApplication client, string authReqId, string? notificationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (client.TokenDeliveryMode == TokenDeliveryMode.Poll || client.ClientNotificationEndpoint is null || notificationToken is null)
        {
            return;
        }

        var registration = new CallbackRegistration(client.TokenDeliveryMode, client.ClientNotificationEndpoint, notificationToken, authReqId, client.ClientId);
        request.AttachCallback(client.TokenDeliveryMode, protector.Protect(registration));
    }

    /// <summary>
    /// After an approval or a denial: ping sends <c>{"auth_req_id"}</c>; push sends the tokens (the
    /// grant is consumed now) or the <c>access_denied</c> error payload. Returns the message added, if any.
    /// </summary>
    public async Task<OutgoingMessage?> EnqueueOnDecisionAsync(BackchannelAuthenticationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TakeCallback() is not { } taken)
        {
            return null;
        }

        var registration = protector.UnprotectRegistration(taken);
        string body;
        if (registration.Mode == TokenDeliveryMode.Ping)
        {
            body = PingBody(registration.AuthReqId);
        }
        else if (request.Status == BackchannelRequestStatus.Denied)
        {
            body = ErrorBody(OAuthErrorCodes.AccessDenied, "The user denied the request.", registration.AuthReqId);
        }
        else
        {
            request.ConsumeForPush(now);
            body = await PushTokensBodyAsync(request, registration, now, cancellationToken);
        }

        return Enqueue(request, registration, body, now);
    }

    /// <summary>
    /// After expiry: push sends the <c>expired_token</c> error payload (CIBA Core §12); a ping client
    /// knows <c>expires_in</c> and is not called (CIBA Core §10.2). Either way the details are forgotten.
    /// </summary>
    public OutgoingMessage? EnqueueOnExpiry(BackchannelAuthenticationRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TakeCallback() is not { } taken || request.DeliveryMode != TokenDeliveryMode.Push)
        {
            return null;
        }

        var registration = protector.UnprotectRegistration(taken);
        return Enqueue(request, registration, ErrorBody(OAuthErrorCodes.ExpiredToken, "The auth_req_id has expired.", registration.AuthReqId), now);
    }

    private OutgoingMessage Enqueue(BackchannelAuthenticationRequest request, CallbackRegistration registration, string body, DateTimeOffset now)
    {
        var channel = registration.Mode == TokenDeliveryMode.Push ? MessageChannel.Push : MessageChannel.Ping;
        var notAfter = request.ExpiresAt > now + MinimumDeliveryWindow ? request.ExpiresAt : now + MinimumDeliveryWindow;
        var content = protector.Protect(new CallbackContent(registration.Endpoint, registration.NotificationToken, body));
        var message = OutgoingMessage.Create(request.OrganizationId, request.Id, channel, registration.Endpoint, content, notAfter, now);
        db.OutgoingMessages.Add(message);
        return message;
    }

    // CIBA Core §10.2: the body holds auth_req_id only.
    private static string PingBody(string authReqId) => new JsonObject { ["auth_req_id"] = authReqId }.ToJsonString();

    // CIBA Core §12
    private static string ErrorBody(string error, string description, string authReqId) =>
        new JsonObject { ["error"] = error, ["error_description"] = description, ["auth_req_id"] = authReqId }.ToJsonString();

    // CIBA Core §10.3.1: the token response plus auth_req_id; the ID token binds both (auth_req_id claim, at_hash).
    private async Task<string> PushTokensBodyAsync(BackchannelAuthenticationRequest request, CallbackRegistration registration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var handle = await db.Organizations.Where(o => o.Id == request.OrganizationId).Select(o => o.Handle).SingleAsync(cancellationToken);
        var application = await db.Applications.SingleAsync(a => a.Id == request.ApplicationId, cancellationToken);
        var authenticatedAt = request.AuthenticatedAt ?? request.DecidedAt ?? now;

        // As a poll that redeems (RedeemBackchannelGrantHandler): the application's ID token
        // algorithm, the APIs' audiences, and a refresh token when the application allows one
        // (product.md §10, §13). The refresh token is saved with the decision and the callback.
        var audiences = ApiScopeCatalog.AudiencesFor(
            Scopes.Parse(request.Scope), request.Audience?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [], options.Value.UserInfoEndpoint(handle));
        var grantId = RefreshTokens.NewGrantId(application, request.Scope);
        var refreshToken = refreshTokens.AddForCibaGrant(application, request, authenticatedAt, now, grantId);
        var grant = new TokenGrant(
            request.OrganizationId,
            options.Value.Issuer(handle),
            audiences[0],
            registration.ClientId,
            request.UserId,
            request.Scope,
            authenticatedAt,
            now,
            registration.AuthReqId)
        {
            IdTokenSigningAlgorithm = application.IdTokenSigningAlgorithm,
            Audiences = audiences,
            RefreshToken = refreshToken,
            Acr = request.Acr,
            Amr = request.AmrList,
            GrantId = grantId,
        };
        var tokens = await issuer.IssueAsync(grant, cancellationToken);

        var body = new JsonObject
        {
            ["access_token"] = tokens.AccessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = tokens.ExpiresInSeconds,
            ["id_token"] = tokens.IdToken,
            ["scope"] = request.Scope,
            ["auth_req_id"] = registration.AuthReqId,
        };
        if (refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
        }

        return body.ToJsonString();
    }
}
