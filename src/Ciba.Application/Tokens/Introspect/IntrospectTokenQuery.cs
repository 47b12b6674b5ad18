using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Application.Tokens.Revoke;
using Ciba.Domain.Tokens;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Tokens.Introspect;

/// <summary>An introspection request (RFC 7662 §2.1) from an authenticated client.</summary>
public sealed record IntrospectTokenQuery(OrganizationSummary Organization, AuthenticatedClient Client, string? Token, string? TokenTypeHint)
    : IRequest<Result<IntrospectionResponse>>
{
    public override string ToString() => $"IntrospectTokenQuery {{ Client = {Client.ClientId} }}";
}

/// <summary>The introspection response (RFC 7662 §2.2); only <c>active</c> when the token is not active.</summary>
public sealed record IntrospectionResponse(
    bool Active,
    string? Scope = null,
    string? ClientId = null,
    string? Username = null,
    string? TokenType = null,
    long? Exp = null,
    long? Iat = null,
    string? Sub = null,
    IReadOnlyList<string>? Aud = null,
    string? Iss = null,
    string? Jti = null)
{
    public static IntrospectionResponse Inactive { get; } = new(false);
}

/// <summary>
/// product.md §13: a client introspects only its own tokens; anyone else's, and every unknown,
/// expired, revoked or rotated token, is <c>active: false</c>. A revoked access token's <c>jti</c>
/// makes it inactive, and so does a locked account.
/// </summary>
internal sealed class IntrospectTokenHandler(
    IApplicationDbContext db, ITokenReader reader, IUserDirectory users, IOptions<CibaOptions> options, TimeProvider time)
    : IRequestHandler<IntrospectTokenQuery, Result<IntrospectionResponse>>
{
    private const int MaxRefreshTokenLength = 256;

    public async Task<Result<IntrospectionResponse>> Handle(IntrospectTokenQuery request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Token))
        {
            return new Error(OAuthErrorCodes.InvalidRequest, "The token parameter is required.");
        }

        var now = time.GetUtcNow();
        var organization = request.Organization;
        var issuer = options.Value.Issuer(organization.Handle);
        IntrospectionResponse? answer;
        Guid userId;
        if (IssuedTokenLookup.LooksLikeJwt(request.Token))
        {
            var access = await reader.ReadIssuedAccessTokenAsync(organization.Id, request.Token, issuer, cancellationToken);
            if (access is null || access.ClientId != request.Client.ClientId || access.ExpiresAt <= now)
            {
                return IntrospectionResponse.Inactive;
            }

            // RFC 7009 §2.1: revoked by its jti, or with its grant's refresh-token family (ADR 0025).
            if (await AccessTokenRevocation.IsRevokedAsync(db, organization.Id, access.Jti, access.GrantId, cancellationToken))
            {
                return IntrospectionResponse.Inactive;
            }

            userId = access.UserId;
            answer = new IntrospectionResponse(
                true, access.Scope, access.ClientId, null, "Bearer", access.ExpiresAt.ToUnixTimeSeconds(), access.IssuedAt.ToUnixTimeSeconds(),
                access.UserId.ToString(), access.Audiences, issuer, access.Jti);
        }
        else
        {
            if (request.Token.Length > MaxRefreshTokenLength)
            {
                return IntrospectionResponse.Inactive;
            }

            var hash = SecretHashing.HashToken(request.Token);
            var refresh = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
            if (refresh is null || refresh.OrganizationId != organization.Id || refresh.ApplicationId != request.Client.Id
                || refresh.StateAt(now) != RefreshTokenState.Active)
            {
                return IntrospectionResponse.Inactive;
            }

            userId = refresh.UserId;
            var expiresAt = refresh.IdleExpiresAt < refresh.ExpiresAt ? refresh.IdleExpiresAt : refresh.ExpiresAt;
            answer = new IntrospectionResponse(
                true, refresh.Scope, request.Client.ClientId, null, "refresh_token", expiresAt.ToUnixTimeSeconds(), refresh.CreatedAt.ToUnixTimeSeconds(),
                refresh.UserId.ToString(), null, issuer);
        }

        var user = await users.FindByIdAsync(organization.Id, userId, cancellationToken);
        return user is null || user.IsLockedAt(now) ? IntrospectionResponse.Inactive : answer with { Username = user.UserName };
    }
}
