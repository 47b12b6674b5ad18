using Ciba.Application.Apis;
using Ciba.Application.Audit;
using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Domain.Audit;
using Ciba.Domain.Tokens;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Tokens.Refresh;

/// <summary>A token request with <c>grant_type=refresh_token</c> (RFC 6749 §6) from an authenticated client.</summary>
public sealed record RefreshTokenGrantCommand(OrganizationSummary Organization, AuthenticatedClient Client, string? RefreshToken, string? Scope)
    : IRequest<Result<TokenResponse>>
{
    public override string ToString() => $"RefreshTokenGrantCommand {{ Client = {Client.ClientId} }}";
}

/// <summary>
/// Rotates the presented refresh token (product.md §13): a rotated token presented again revokes its
/// whole family (RFC 9700 §4.14.2); <c>scope</c> may narrow the grant, never widen it (RFC 6749 §6).
/// The new ID token keeps the grant's <c>auth_time</c> (OpenID Connect Core §12.2).
/// </summary>
internal sealed class RefreshTokenGrantHandler(
    IApplicationDbContext db,
    RefreshTokens refreshTokens,
    ApiScopeCatalog apiScopes,
    IUserDirectory users,
    ITokenIssuer issuer,
    IAuditTrail audit,
    IOptions<CibaOptions> options,
    TimeProvider time)
    : IRequestHandler<RefreshTokenGrantCommand, Result<TokenResponse>>
{
    private const int MaxTokenLength = 256;

    private static readonly Error InvalidGrant = new(OAuthErrorCodes.InvalidGrant, "The refresh token is unknown, expired, revoked, already used, or was issued to another client.");

    public async Task<Result<TokenResponse>> Handle(RefreshTokenGrantCommand request, CancellationToken cancellationToken)
    {
        var client = request.Client;
        var organization = request.Organization;
        var application = await db.Applications.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == client.Id && a.OrganizationId == organization.Id, cancellationToken);
        if (application is null)
        {
            return new Error(OAuthErrorCodes.InvalidClient, "Client authentication failed.");
        }

        // RFC 6749 §5.2
        if (!application.AllowsRefreshToken)
        {
            return new Error(OAuthErrorCodes.UnauthorizedClient, "The client is not allowed to use the refresh_token grant.");
        }

        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return new Error(OAuthErrorCodes.InvalidRequest, "The refresh_token parameter is required.");
        }

        if (request.RefreshToken.Length > MaxTokenLength)
        {
            return InvalidGrant;
        }

        var hash = SecretHashing.HashToken(request.RefreshToken);
        var token = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);

        // Another client's token is invalid_grant, and left alone (RFC 6749 §10.4).
        if (token is null || token.OrganizationId != organization.Id || token.ApplicationId != client.Id)
        {
            return InvalidGrant;
        }

        var now = time.GetUtcNow();
        switch (token.StateAt(now))
        {
            case RefreshTokenState.Rotated:
                // RFC 9700 §4.14.2: a rotated token used again means it leaked; the whole family goes.
                await refreshTokens.RevokeFamilyAsync(
                    token,
                    now,
                    new AuditRecord(
                        organization.Id, AuditActions.TokensRefreshed, AuditOutcome.Refused, AuditActorKind.Client, client.ClientId, token.UserId, client.Id,
                        "refresh_token", "A rotated refresh token was used again: its grant was revoked."),
                    cancellationToken);
                return InvalidGrant;
            case RefreshTokenState.Revoked or RefreshTokenState.Expired:
                return InvalidGrant;
        }

        var scope = NarrowScope(token.Scope, request.Scope);
        if (!scope.IsSuccess)
        {
            return scope.Error;
        }

        var user = await users.FindByIdAsync(organization.Id, token.UserId, cancellationToken);
        if (user is null || user.IsLockedAt(now))
        {
            return InvalidGrant;
        }

        var raw = RandomTokens.Create();
        var successor = token.Rotate(SecretHashing.HashToken(raw), TimeSpan.FromSeconds(application.RefreshTokens.IdleLifetimeSeconds), now);
        db.RefreshTokens.Add(successor);
        audit.Record(new AuditRecord(
            organization.Id, AuditActions.TokensRefreshed, AuditOutcome.Succeeded, AuditActorKind.Client, client.ClientId, token.UserId, client.Id,
            "refresh_token", request.Scope is null ? null : "Scope narrowed."));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The same token was used twice at once: only one use may rotate it; the other is reuse.
            await refreshTokens.RevokeFamilyAsync(token, now, audit: null, cancellationToken);
            return InvalidGrant;
        }

        var scopes = scope.Value;
        var grantedScope = string.Join(' ', scopes);
        var apis = grantedScope == token.Scope
            ? (token.Audience?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [])
            : (await apiScopes.FindAsync(organization.Id, scopes, cancellationToken)).Select(s => s.ApiIdentifier);
        var handle = organization.Handle;
        var userInfo = options.Value.UserInfoEndpoint(handle);
        var audiences = ApiScopeCatalog.AudiencesFor(scopes, apis, userInfo);
        var tokens = await issuer.IssueAsync(
            new TokenGrant(organization.Id, options.Value.Issuer(handle), audiences[0], client.ClientId, token.UserId, grantedScope, token.AuthenticatedAt, now)
            {
                Audiences = audiences,
                Acr = token.Acr,
                Amr = token.Amr?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                GrantId = token.FamilyId,
            },
            cancellationToken);
        return new TokenResponse(tokens.AccessToken, "Bearer", tokens.ExpiresInSeconds, tokens.IdToken, grantedScope) { RefreshToken = raw };
    }

    /// <summary>RFC 6749 §6: the requested scope must not include any scope not originally granted. <c>openid</c> stays.</summary>
    private static Result<IReadOnlyList<string>> NarrowScope(string granted, string? requested)
    {
        var original = Scopes.Parse(granted);
        if (requested is null)
        {
            return Result<IReadOnlyList<string>>.Success(original);
        }

        var asked = Scopes.Parse(requested);
        if (asked.Count == 0 || asked.Any(s => !original.Contains(s, StringComparer.Ordinal)))
        {
            return new Error(OAuthErrorCodes.InvalidScope, "The scope must be a subset of the scope originally granted.");
        }

        return Result<IReadOnlyList<string>>.Success(Scopes.Parse(Scopes.OpenId + " " + string.Join(' ', asked)));
    }
}
