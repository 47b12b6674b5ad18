using Ciba.Application.Audit;
using Ciba.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Tokens;

/// <summary>
/// Revokes refresh-token families (ADR 0025): their refresh tokens stop working and the family is
/// recorded, so that the access tokens issued with it stop working too (RFC 7009 §2.1). The audit
/// event, when given, commits in the same transaction. Revoking a family twice changes nothing.
/// </summary>
public interface IGrantFamilyRevocations
{
    Task RevokeFamilyAsync(Guid organizationId, Guid applicationId, Guid familyId, DateTimeOffset now, AuditRecord? audit, CancellationToken cancellationToken);

    /// <summary>Every family an application holds for a person (signing the application out).</summary>
    Task RevokeFamiliesOfUserAsync(Guid organizationId, Guid userId, Guid applicationId, DateTimeOffset now, AuditRecord? audit, CancellationToken cancellationToken);
}

/// <summary>Whether an access token was revoked, by its <c>jti</c> or with its grant's family: one round trip.</summary>
internal static class AccessTokenRevocation
{
    public static Task<bool> IsRevokedAsync(IApplicationDbContext db, Guid organizationId, string? jti, Guid? grantId, CancellationToken cancellationToken)
    {
        var byJti = db.RevokedAccessTokens.AsNoTracking().Where(r => r.OrganizationId == organizationId && r.Jti == jti).Select(r => r.OrganizationId);
        if (grantId is not { } familyId)
        {
            return jti is null ? Task.FromResult(false) : byJti.AnyAsync(cancellationToken);
        }

        var byFamily = db.RevokedGrantFamilies.AsNoTracking().Where(f => f.OrganizationId == organizationId && f.FamilyId == familyId).Select(f => f.OrganizationId);
        return jti is null ? byFamily.AnyAsync(cancellationToken) : byJti.Concat(byFamily).AnyAsync(cancellationToken);
    }
}
