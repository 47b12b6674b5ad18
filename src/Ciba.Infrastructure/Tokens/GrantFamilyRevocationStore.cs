using Ciba.Application.Tokens;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Tokens;

/// <summary>
/// Inserts revoked families with <c>ON CONFLICT DO NOTHING</c>, so concurrent revocations of one
/// family (a revocation racing reuse detection) both succeed. A row lives until the last access token
/// the family could have issued has expired (docs/decisions/0025-token-lifecycle.md).
/// </summary>
internal sealed class GrantFamilyRevocationStore(CibaDbContext db) : IGrantFamilyRevocations
{
    public Task RevokeFamilyAsync(Guid organizationId, Guid applicationId, Guid familyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expiresAt = now + AccessTokenGrants.Lifetime;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO "RevokedGrantFamilies" ("OrganizationId", "FamilyId", "ApplicationId", "RevokedAt", "ExpiresAt")
            VALUES ({organizationId}, {familyId}, {applicationId}, {now}, {expiresAt})
            ON CONFLICT ("OrganizationId", "FamilyId") DO NOTHING
            """, cancellationToken);
    }

    public Task RevokeFamiliesOfUserAsync(Guid organizationId, Guid userId, Guid applicationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expiresAt = now + AccessTokenGrants.Lifetime;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO "RevokedGrantFamilies" ("OrganizationId", "FamilyId", "ApplicationId", "RevokedAt", "ExpiresAt")
            SELECT DISTINCT "OrganizationId", "FamilyId", "ApplicationId", {now}, {expiresAt}
            FROM "RefreshTokens"
            WHERE "UserId" = {userId} AND "ApplicationId" = {applicationId} AND "OrganizationId" = {organizationId}
            ON CONFLICT ("OrganizationId", "FamilyId") DO NOTHING
            """, cancellationToken);
    }
}
