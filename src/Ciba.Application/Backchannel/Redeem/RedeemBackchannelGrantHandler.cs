using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Application.Tokens;
using Ciba.Domain.Backchannel;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Backchannel.Redeem;

/// <summary>
/// One poll: one indexed lookup by the hash of <c>auth_req_id</c>, the aggregate's state machine,
/// and at most one conditional write. The row version makes concurrent polls of one request
/// serialize: the loser reloads and polls again, so tokens are issued once.
/// </summary>
internal sealed class RedeemBackchannelGrantHandler(
    IApplicationDbContext db,
    ITokenIssuer issuer,
    IOptions<CibaOptions> options,
    TimeProvider time)
    : IRequestHandler<RedeemBackchannelGrantCommand, Result<TokenResponse>>
{
    private const int MaxAttempts = 5;

    private static readonly Error InvalidGrant = new(OAuthErrorCodes.InvalidGrant, "The auth_req_id is unknown, was issued to another client, or was already used.");

    public async Task<Result<TokenResponse>> Handle(RedeemBackchannelGrantCommand request, CancellationToken cancellationToken)
    {
        var hash = SecretHashing.HashToken(request.AuthReqId!);
        var authRequest = await db.BackchannelRequests
            .SingleOrDefaultAsync(r => r.AuthReqIdHash == hash, cancellationToken);

        // CIBA Core §11: another client's auth_req_id is invalid_grant, and the request is left alone.
        if (authRequest is null || authRequest.ApplicationId != request.Client.Id || authRequest.OrganizationId != request.Organization.Id)
        {
            return InvalidGrant;
        }

        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var outcome = authRequest.Poll(now);
            IssuedTokens? tokens = null;
            switch (outcome)
            {
                case PollOutcome.AlreadyRedeemed:
                    return InvalidGrant;
                case PollOutcome.Expired:
                    return new Error(OAuthErrorCodes.ExpiredToken, "The auth_req_id has expired.");
                case PollOutcome.Denied:
                    return new Error(OAuthErrorCodes.AccessDenied, "The user denied the request.");
                case PollOutcome.Redeemed:
                    tokens = await IssueAsync(request, authRequest, now, cancellationToken);
                    break;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException conflict) when (attempt < MaxAttempts)
            {
                foreach (var entry in conflict.Entries)
                {
                    await entry.ReloadAsync(cancellationToken);
                }

                continue;
            }

            return outcome switch
            {
                PollOutcome.SlowDown => new Error(OAuthErrorCodes.SlowDown, "Polled sooner than the interval; the interval is now longer by 5 seconds."),
                PollOutcome.Pending => new Error(OAuthErrorCodes.AuthorizationPending, "The user has not decided yet."),
                _ => new TokenResponse(tokens!.AccessToken, "Bearer", tokens.ExpiresInSeconds, tokens.IdToken, authRequest.Scope),
            };
        }
    }

    private ValueTask<IssuedTokens> IssueAsync(
        RedeemBackchannelGrantCommand request, BackchannelAuthenticationRequest authRequest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var handle = request.Organization.Handle;
        var grant = new TokenGrant(
            options.Value.Issuer(handle),
            options.Value.UserInfoEndpoint(handle),
            request.Client.ClientId,
            authRequest.UserId,
            authRequest.Scope,
            authRequest.AuthenticatedAt ?? authRequest.DecidedAt ?? now,
            now);
        return issuer.IssueAsync(grant, cancellationToken);
    }
}
