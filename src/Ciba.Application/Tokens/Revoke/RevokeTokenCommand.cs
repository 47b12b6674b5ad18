using Ciba.Application.Audit;
using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Application.Tokens.Refresh;
using Ciba.Domain.Audit;
using Ciba.Domain.Tokens;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Tokens.Revoke;

/// <summary>A revocation request (RFC 7009 §2.1) from an authenticated client.</summary>
public sealed record RevokeTokenCommand(OrganizationSummary Organization, AuthenticatedClient Client, string? Token, string? TokenTypeHint) : IRequest<Result>
{
    public override string ToString() => $"RevokeTokenCommand {{ Client = {Client.ClientId} }}";
}

/// <summary>
/// RFC 7009 §2.2: a refresh token of this client revokes its whole family; an access token of this
/// client has its <c>jti</c> recorded until it expires. Any other token (unknown, invalid, expired,
/// another client's) is answered the same success, and nothing changes.
/// </summary>
internal sealed class RevokeTokenHandler(
    IApplicationDbContext db, RefreshTokens refreshTokens, ITokenReader reader, IAuditTrail audit, IOptions<CibaOptions> options, TimeProvider time)
    : IRequestHandler<RevokeTokenCommand, Result>
{
    public async Task<Result> Handle(RevokeTokenCommand request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Token))
        {
            return new Error(OAuthErrorCodes.InvalidRequest, "The token parameter is required.");
        }

        var now = time.GetUtcNow();
        var organization = request.Organization;
        if (!IssuedTokenLookup.LooksLikeJwt(request.Token))
        {
            var hash = SecretHashing.HashToken(request.Token);
            var refresh = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
            if (refresh is not null && refresh.OrganizationId == organization.Id && refresh.ApplicationId == request.Client.Id)
            {
                await refreshTokens.RevokeFamilyAsync(
                    refresh, now, Revoked(request, refresh.UserId, "refresh_token", "The refresh token was revoked, with its grant's access tokens."), cancellationToken);
            }

            return Result.Success;
        }

        var access = await reader.ReadIssuedAccessTokenAsync(organization.Id, request.Token, options.Value.Issuer(organization.Handle), cancellationToken);
        if (access is null || access.ClientId != request.Client.ClientId || access.ExpiresAt <= now
            || access.Jti.Length > RevokedAccessToken.MaxJtiLength)
        {
            return Result.Success;
        }

        var jti = access.Jti;
        if (!await db.RevokedAccessTokens.AnyAsync(r => r.OrganizationId == organization.Id && r.Jti == jti, cancellationToken))
        {
            db.RevokedAccessTokens.Add(RevokedAccessToken.Create(organization.Id, jti, request.Client.Id, access.ExpiresAt, now));
            audit.Record(Revoked(request, access.UserId, "access_token", "The access token was revoked."));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Revoked by a concurrent request, the outcome is the same; anything else is an outage.
                if (!await db.RevokedAccessTokens.AsNoTracking().AnyAsync(r => r.OrganizationId == organization.Id && r.Jti == jti, cancellationToken))
                {
                    throw;
                }
            }
        }

        return Result.Success;
    }

    private static AuditRecord Revoked(RevokeTokenCommand request, Guid userId, string tokenType, string detail) =>
        new(request.Organization.Id, AuditActions.TokenRevoked, AuditOutcome.Succeeded, AuditActorKind.Client, request.Client.ClientId, userId, request.Client.Id, tokenType, detail);
}

/// <summary>Tells the two kinds of token apart without a lookup: refresh tokens are opaque, access tokens are JWTs.</summary>
internal static class IssuedTokenLookup
{
    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2;
}
