using Ciba.Application.Audit;
using Ciba.Application.Tokens;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Tokens;

/// <summary>
/// One transaction per revocation: the family rows (<c>ON CONFLICT DO NOTHING</c>, so a revocation
/// racing reuse detection both succeed), the refresh tokens, and the audit event. A family row lives
/// until the last access token it could have issued has expired (docs/decisions/0025-token-lifecycle.md).
/// </summary>
internal sealed class GrantFamilyRevocationStore(CibaDbContext db, IAuditTrail trail) : IGrantFamilyRevocations
{
    public async Task RevokeFamilyAsync(Guid organizationId, Guid applicationId, Guid familyId, DateTimeOffset now, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var expiresAt = now + AccessTokenGrants.Lifetime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "RevokedGrantFamilies" ("OrganizationId", "FamilyId", "ApplicationId", "RevokedAt", "ExpiresAt")
            VALUES ({organizationId}, {familyId}, {applicationId}, {now}, {expiresAt})
            ON CONFLICT ("OrganizationId", "FamilyId") DO NOTHING
            """, cancellationToken);
        await db.RefreshTokens
            .Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), cancellationToken);
        await AuditAsync(audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RevokeFamiliesOfUserAsync(Guid organizationId, Guid userId, Guid applicationId, DateTimeOffset now, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var expiresAt = now + AccessTokenGrants.Lifetime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "RevokedGrantFamilies" ("OrganizationId", "FamilyId", "ApplicationId", "RevokedAt", "ExpiresAt")
            SELECT DISTINCT "OrganizationId", "FamilyId", "ApplicationId", {now}, {expiresAt}
            FROM "RefreshTokens"
            WHERE "UserId" = {userId} AND "ApplicationId" = {applicationId} AND "OrganizationId" = {organizationId}
            ON CONFLICT ("OrganizationId", "FamilyId") DO NOTHING
            """, cancellationToken);
        await db.RefreshTokens
            .Where(t => t.OrganizationId == organizationId && t.UserId == userId && t.ApplicationId == applicationId && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), cancellationToken);
        await AuditAsync(audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task AuditAsync(AuditRecord? audit, CancellationToken cancellationToken)
    {
        if (audit is not null)
        {
            await trail.RecordNowAsync(audit, cancellationToken);
        }
    }
}
