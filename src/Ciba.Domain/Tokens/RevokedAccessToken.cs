namespace Ciba.Domain.Tokens;

/// <summary>
/// An access token revoked before it expired (RFC 7009 §2): access tokens stay self-contained
/// JWTs, so its <c>jti</c> is kept until the token would have expired, and introspection and
/// userinfo treat it as inactive.
/// </summary>
public sealed class RevokedAccessToken
{
    public const int MaxJtiLength = 100;

    private RevokedAccessToken() => Jti = string.Empty;

    public Guid OrganizationId { get; private set; }

    public string Jti { get; private set; }

    public Guid ApplicationId { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset RevokedAt { get; private set; }

    public static RevokedAccessToken Create(Guid organizationId, string jti, Guid applicationId, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(jti);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jti.Length, MaxJtiLength);
        return new RevokedAccessToken { OrganizationId = organizationId, Jti = jti, ApplicationId = applicationId, ExpiresAt = expiresAt, RevokedAt = now };
    }
}
