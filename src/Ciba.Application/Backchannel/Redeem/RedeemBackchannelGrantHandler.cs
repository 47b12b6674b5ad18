using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Application.Apis;
using Ciba.Application.Tokens;
using Ciba.Application.Tokens.Refresh;
using Ciba.Domain.Backchannel;
using MediatR;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Backchannel.Redeem;

/// <summary>
/// One poll: the client from memory (ADR 0031), authenticated first; a request still pending is
/// polled in one statement that checks and updates; any other request is read (by the hash of
/// <c>auth_req_id</c>), run through the aggregate's state machine, and written at most once. The row version makes concurrent polls of one request serialize: a waiting poll that
/// loses is answered <c>slow_down</c>; a redemption that loses reloads and polls again, so tokens
/// are issued once.
/// </summary>
internal sealed class RedeemBackchannelGrantHandler(
    IBackchannelGrantStore store,
    Clients.IClientApplications applications,
    IClientAuthenticator authenticator,
    ITokenIssuer issuer,
    RefreshTokens refreshTokens,
    IOptions<CibaOptions> options,
    TimeProvider time)
    : IRequestHandler<RedeemBackchannelGrantCommand, Result<TokenResponse>>
{
    private const int MaxAttempts = 5;

    private static readonly Error SlowDown = new(OAuthErrorCodes.SlowDown, "Polled sooner than the interval; the interval is now longer by 5 seconds.");

    private static readonly Error Pending = new(OAuthErrorCodes.AuthorizationPending, "The user has not decided yet.");

    private static readonly Error InvalidGrant = new(OAuthErrorCodes.InvalidGrant, "The auth_req_id is unknown, was issued to another client, or was already used.");

    public async Task<Result<TokenResponse>> Handle(RedeemBackchannelGrantCommand request, CancellationToken cancellationToken)
    {
        if (!authenticator.CanLookUp(request.Credentials))
        {
            return ClientAuthenticator.InvalidClient;
        }

        // ADR 0031: the client from memory, authenticated before the request is touched.
        var application = await applications.FindAsync(request.Organization.Id, request.Credentials.ClientId!, cancellationToken);
        var authenticated = await authenticator.AuthenticateAsync(request.Organization, request.Credentials, application, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var client = authenticated.Value;

        // RFC 6749 §5.2: the client may not use this grant type.
        if (!client.AllowsCiba)
        {
            return new Error(OAuthErrorCodes.UnauthorizedClient, "The client is not allowed to use the CIBA grant.");
        }

        // CIBA Core §11: a push client receives its tokens at its notification endpoint, never here.
        if (application!.TokenDeliveryMode == Domain.Applications.TokenDeliveryMode.Push)
        {
            return new Error(OAuthErrorCodes.UnauthorizedClient, "The client is registered for push delivery; its tokens are pushed to its notification endpoint.");
        }

        if (string.IsNullOrEmpty(request.AuthReqId))
        {
            return new Error(OAuthErrorCodes.InvalidRequest, "The auth_req_id parameter is required.");
        }

        // The most frequent poll, a request still waiting for its person, is one statement.
        var hash = SecretHashing.HashToken(request.AuthReqId);
        switch (await store.TryPollPendingAsync(client.Id, hash, time.GetUtcNow(), cancellationToken))
        {
            case PollOutcome.Pending:
                return Pending;
            case PollOutcome.SlowDown:
                return SlowDown;
        }

        // Any other request: read it, and let the aggregate decide.
        var found = await store.FindAsync(request.Organization.Id, request.Credentials.ClientId!, hash, cancellationToken);
        var authRequest = found.Request;

        // CIBA Core §11: another client's auth_req_id is invalid_grant, and the request is left alone.
        if (authRequest is null || authRequest.ApplicationId != client.Id || authRequest.OrganizationId != request.Organization.Id)
        {
            return InvalidGrant;
        }

        // A person an administrator locked gets no tokens, even for a request approved before (ADR 0012).
        if (found.UserLockoutEnd is { } lockoutEnd && lockoutEnd > time.GetUtcNow())
        {
            return new Error(OAuthErrorCodes.AccessDenied, "The user's account is locked.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var outcome = authRequest.Poll(now);
            IssuedTokens? tokens = null;
            var grantId = outcome == PollOutcome.Redeemed ? RefreshTokens.NewGrantId(application!, authRequest.Scope) : null;
            switch (outcome)
            {
                case PollOutcome.AlreadyRedeemed:
                    return InvalidGrant;
                case PollOutcome.Expired:
                    return new Error(OAuthErrorCodes.ExpiredToken, "The auth_req_id has expired.");
                case PollOutcome.Denied:
                    return new Error(OAuthErrorCodes.AccessDenied, "The user denied the request.");
                case PollOutcome.Redeemed:
                    tokens = await IssueAsync(request.Organization, client, authRequest, now, grantId, cancellationToken);
                    break;
            }

            if (!await store.TrySavePollAsync(authRequest, durable: outcome == PollOutcome.Redeemed, cancellationToken))
            {
                // Another poll or a decision changed the request since it was read. A poll that only
                // waits lost to one sent at the same moment: it polled too fast (CIBA Core §11 slow_down).
                // A redemption reads the request again, so tokens are issued once.
                if (outcome != PollOutcome.Redeemed || attempt == MaxAttempts)
                {
                    return SlowDown;
                }

                await store.ReloadAsync(authRequest, cancellationToken);
                continue;
            }

            return outcome switch
            {
                PollOutcome.SlowDown => SlowDown,
                PollOutcome.Pending => Pending,
                _ => new TokenResponse(tokens!.AccessToken, "Bearer", tokens.ExpiresInSeconds, tokens.IdToken, authRequest.Scope)
                {
                    // product.md §13
                    RefreshToken = await refreshTokens.IssueForCibaGrantAsync(application!, authRequest, AuthenticatedAt(authRequest, now), now, cancellationToken, grantId),
                },
            };
        }
    }

    private ValueTask<IssuedTokens> IssueAsync(
        OrganizationSummary organization, AuthenticatedClient client, BackchannelAuthenticationRequest authRequest, DateTimeOffset now, Guid? grantId,
        CancellationToken cancellationToken)
    {
        var handle = organization.Handle;
        var audiences = ApiScopeCatalog.AudiencesFor(
            Scopes.Parse(authRequest.Scope), authRequest.Audience?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [], options.Value.UserInfoEndpoint(handle));
        var grant = new TokenGrant(
            organization.Id,
            options.Value.Issuer(handle),
            audiences[0],
            client.ClientId,
            authRequest.UserId,
            authRequest.Scope,
            AuthenticatedAt(authRequest, now),
            now)
        {
            IdTokenSigningAlgorithm = client.IdTokenSigningAlgorithm,
            Audiences = audiences,
            Acr = authRequest.Acr,
            Amr = authRequest.AmrList,
            GrantId = grantId,
        };
        return issuer.IssueAsync(grant, cancellationToken);
    }

    private static DateTimeOffset AuthenticatedAt(BackchannelAuthenticationRequest authRequest, DateTimeOffset now) =>
        authRequest.AuthenticatedAt ?? authRequest.DecidedAt ?? now;
}
