namespace Ciba.Domain.Tokens;

/// <summary>
/// A refresh-token family (one CIBA grant) that was revoked, by the client (RFC 7009 §2.1: revoking
/// a refresh token should revoke the access tokens of the same grant), by reuse detection or by the
/// person or an administrator signing the application out. The grant's access tokens carry the
/// family id, so introspection and userinfo treat them as inactive; the row is kept until the last
/// of them would have expired.
/// </summary>
public sealed class RevokedGrantFamily
{
    private RevokedGrantFamily()
    {
    }

    public Guid OrganizationId { get; private set; }

    public Guid FamilyId { get; private set; }

    public Guid ApplicationId { get; private set; }

    public DateTimeOffset RevokedAt { get; private set; }

    /// <summary>When the last access token the family could have issued before <see cref="RevokedAt"/> expires.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }
}
