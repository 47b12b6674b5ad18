using Ciba.Application.Audit;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Tokens.Refresh;

/// <summary>Issues and revokes refresh tokens (product.md §13); only their hashes are stored.</summary>
public sealed class RefreshTokens(IApplicationDbContext db, IGrantFamilyRevocations revocations)
{
    public const string OfflineAccess = Scopes.OfflineAccess;

    /// <summary>
    /// Whether a redeemed CIBA grant comes with a refresh token: the application allows the Refresh
    /// Token grant, and <c>offline_access</c> was requested or the application always issues one.
    /// </summary>
    public static bool ComesWith(ClientApplication application, string grantedScope)
    {
        ArgumentNullException.ThrowIfNull(application);
        return application.AllowsRefreshToken && (application.RefreshTokens.AlwaysIssue || Scopes.Contains(grantedScope, OfflineAccess));
    }

    /// <summary>
    /// The family id of the refresh token a redeemed CIBA grant will come with (null when none is due),
    /// chosen before the access token is signed so that the access token can carry it (ADR 0025).
    /// </summary>
    public static Guid? NewGrantId(ClientApplication application, string grantedScope) =>
        ComesWith(application, grantedScope) ? Guid.NewGuid() : null;

    /// <summary>Stores a new family's first token for a redeemed CIBA grant and returns it raw (null when none is due).</summary>
    public async Task<string?> IssueForCibaGrantAsync(
        ClientApplication application, BackchannelAuthenticationRequest authRequest, DateTimeOffset authenticatedAt, DateTimeOffset now, CancellationToken cancellationToken,
        Guid? grantId = null)
    {
        var raw = AddForCibaGrant(application, authRequest, authenticatedAt, now, grantId);
        if (raw is not null)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return raw;
    }

    /// <summary>
    /// Adds the refresh token of a CIBA grant to the unit of work without saving it, for a caller that
    /// saves it with other changes in one transaction (a push: the decision, the token and the callback).
    /// </summary>
    public string? AddForCibaGrant(
        ClientApplication application, BackchannelAuthenticationRequest authRequest, DateTimeOffset authenticatedAt, DateTimeOffset now, Guid? grantId = null)
    {
        ArgumentNullException.ThrowIfNull(authRequest);
        if (!ComesWith(application, authRequest.Scope))
        {
            return null;
        }

        var raw = RandomTokens.Create();
        var settings = application.RefreshTokens;
        var token = RefreshToken.Issue(
            authRequest.OrganizationId,
            application.Id,
            authRequest.UserId,
            SecretHashing.HashToken(raw),
            authRequest.Scope,
            authRequest.Audience,
            authenticatedAt,
            TimeSpan.FromSeconds(settings.AbsoluteLifetimeSeconds),
            TimeSpan.FromSeconds(settings.IdleLifetimeSeconds),
            now,
            grantId);

        // product.md §16: refreshed ID tokens say how the person authenticated for the grant.
        token.KeepAuthentication(authRequest.Acr, authRequest.Amr);
        db.RefreshTokens.Add(token);
        return raw;
    }

    /// <summary>
    /// Revokes every token of a family that is not revoked yet (reuse detection, revocation), and the
    /// access tokens issued with it (RFC 7009 §2.1); the audit event, if any, in the same transaction.
    /// </summary>
    public Task RevokeFamilyAsync(RefreshToken member, DateTimeOffset now, AuditRecord? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return revocations.RevokeFamilyAsync(member.OrganizationId, member.ApplicationId, member.FamilyId, now, audit, cancellationToken);
    }

    /// <summary>
    /// Signs an application out for a person: every refresh token it holds for them stops working,
    /// and so do the access tokens issued with them.
    /// </summary>
    public Task RevokeForUserAsync(Guid organizationId, Guid userId, Guid applicationId, DateTimeOffset now, AuditRecord? audit, CancellationToken cancellationToken) =>
        revocations.RevokeFamiliesOfUserAsync(organizationId, userId, applicationId, now, audit, cancellationToken);

    /// <summary>
    /// The applications that hold a usable refresh token for a person: not revoked, not rotated,
    /// within both lifetimes; with when they were first granted and last refreshed.
    /// </summary>
    public async Task<IReadOnlyList<SignedInApplication>> ListForUserAsync(Guid organizationId, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await (
                from token in db.RefreshTokens.AsNoTracking()
                join application in db.Applications.AsNoTracking() on token.ApplicationId equals application.Id
                where token.OrganizationId == organizationId && token.UserId == userId
                      && token.RevokedAt == null && token.RotatedAt == null && token.ExpiresAt > now && token.IdleExpiresAt > now
                select new { application.Id, application.Name, token.AuthenticatedAt, token.CreatedAt, token.ExpiresAt })
            .ToListAsync(cancellationToken);
        return rows
            .GroupBy(r => new { r.Id, r.Name })
            .Select(g => new SignedInApplication(g.Key.Id, g.Key.Name, g.Min(r => r.AuthenticatedAt), g.Max(r => r.CreatedAt), g.Max(r => r.ExpiresAt)))
            .OrderBy(a => a.Name, StringComparer.CurrentCulture)
            .ToList();
    }
}

/// <summary>An application that can still get tokens for a person without asking them.</summary>
/// <param name="SignedInAt">When the person approved the grant.</param>
/// <param name="LastRefreshedAt">When its current refresh token was issued.</param>
/// <param name="Until">When its grant ends at the latest.</param>
public sealed record SignedInApplication(Guid ApplicationId, string Name, DateTimeOffset SignedInAt, DateTimeOffset LastRefreshedAt, DateTimeOffset Until);
