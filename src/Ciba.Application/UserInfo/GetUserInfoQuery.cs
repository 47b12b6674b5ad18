using Ciba.Application.Common.Behaviours;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Application.Tokens;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ciba.Application.UserInfo;

/// <summary>The claims about the person behind a bearer access token (OpenID Connect Core §5.3).</summary>
public sealed record GetUserInfoQuery(OrganizationSummary Organization, string? AccessToken) : IRequest<Result<UserInfoResponse>>, IIdempotentRead;

/// <summary>The UserInfo response: <c>sub</c> plus the claims the granted scopes release (OpenID Connect Core §5.4).</summary>
public sealed record UserInfoResponse(
    string Sub,
    string? Name,
    string? PreferredUsername,
    string? Email,
    bool? EmailVerified,
    string? PhoneNumber);

internal sealed class GetUserInfoHandler(ITokenReader tokens, IUserDirectory users, IApplicationDbContext db, IOptions<CibaOptions> options, TimeProvider time)
    : IRequestHandler<GetUserInfoQuery, Result<UserInfoResponse>>
{
    private static readonly Error InvalidToken = new(OAuthErrorCodes.InvalidToken, "The access token is missing, invalid or expired.");

    public async Task<Result<UserInfoResponse>> Handle(GetUserInfoQuery request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.AccessToken))
        {
            return InvalidToken;
        }

        var handle = request.Organization.Handle;
        var claims = await tokens.ReadAccessTokenAsync(
            request.Organization.Id,
            request.AccessToken, options.Value.Issuer(handle), options.Value.UserInfoEndpoint(handle), cancellationToken);
        if (claims is null || !Scopes.Contains(claims.Scope, Scopes.OpenId))
        {
            return InvalidToken;
        }

        // RFC 7009: a revoked access token stops working here too.
        var organizationId = request.Organization.Id;
        // RFC 7009 §2.1: so does one issued with a revoked refresh token's grant (ADR 0025).
        if (await AccessTokenRevocation.IsRevokedAsync(db, organizationId, claims.Jti, claims.GrantId, cancellationToken))
        {
            return InvalidToken;
        }

        var user = await users.FindByIdAsync(request.Organization.Id, claims.UserId, cancellationToken);
        if (user is null || user.IsLockedAt(time.GetUtcNow()))
        {
            return InvalidToken;
        }

        var profile = Scopes.Contains(claims.Scope, Scopes.Profile);
        var email = Scopes.Contains(claims.Scope, Scopes.Email) && user.Email is not null;
        var phone = Scopes.Contains(claims.Scope, Scopes.Phone) && user.MobileNumber is not null;
        return new UserInfoResponse(
            user.Id.ToString(),
            profile ? user.DisplayName ?? user.UserName : null,
            profile ? user.UserName : null,
            email ? user.Email : null,
            email ? user.EmailVerified : null,
            phone ? user.MobileNumber : null);
    }
}
