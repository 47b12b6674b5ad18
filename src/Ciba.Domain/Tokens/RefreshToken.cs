namespace Ciba.Domain.Tokens;

/// <summary>What a presented refresh token is worth now.</summary>
public enum RefreshTokenState
{
    Active,

    /// <summary>Past its absolute or idle lifetime.</summary>
    Expired,

    /// <summary>Already exchanged for a successor: presenting it again is reuse (RFC 9700 §4.14.2).</summary>
    Rotated,

    Revoked,
}

/// <summary>
/// A refresh token (product.md §13, RFC 6749 §6): opaque, only its hash kept. Every use rotates it:
/// the token is marked rotated and a successor of the same family takes its place. Presenting a
/// rotated token again revokes the whole family. The family keeps the absolute expiry of its first
/// token; each token adds the idle lifetime from its own issue.
/// </summary>
public sealed class RefreshToken
{
    private RefreshToken()
    {
        TokenHash = [];
        Scope = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ApplicationId { get; private set; }

    public Guid UserId { get; private set; }

    public byte[] TokenHash { get; private set; }

    /// <summary>Every token rotated from one grant shares its family id.</summary>
    public Guid FamilyId { get; private set; }

    public Guid? RotatedFromId { get; private set; }

    /// <summary>The scope of the grant, which a refresh may narrow but never widen.</summary>
    public string Scope { get; private set; }

    /// <summary>Space-separated audiences of the grant's access tokens; null for the userinfo endpoint alone.</summary>
    public string? Audience { get; private set; }

    /// <summary>When the person authenticated for the grant (the ID token's <c>auth_time</c>).</summary>
    public DateTimeOffset AuthenticatedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The family's absolute end.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset IdleExpiresAt { get; private set; }

    public DateTimeOffset? RotatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public static RefreshToken Issue(
        Guid organizationId,
        Guid applicationId,
        Guid userId,
        byte[] tokenHash,
        string scope,
        string? audience,
        DateTimeOffset authenticatedAt,
        TimeSpan absoluteLifetime,
        TimeSpan idleLifetime,
        DateTimeOffset now,
        Guid? familyId = null)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        var id = familyId ?? Guid.NewGuid();
        var expiresAt = now + absoluteLifetime;
        return new RefreshToken
        {
            Id = id,
            OrganizationId = organizationId,
            ApplicationId = applicationId,
            UserId = userId,
            TokenHash = tokenHash,
            FamilyId = id,
            Scope = scope,
            Audience = audience,
            AuthenticatedAt = authenticatedAt,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            IdleExpiresAt = Min(now + idleLifetime, expiresAt),
        };
    }

    public RefreshTokenState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? RefreshTokenState.Revoked
        : RotatedAt is not null ? RefreshTokenState.Rotated
        : now >= ExpiresAt || now >= IdleExpiresAt ? RefreshTokenState.Expired
        : RefreshTokenState.Active;

    /// <summary>Marks this token rotated and returns its successor, which keeps the grant and the family's absolute expiry.</summary>
    public RefreshToken Rotate(byte[] successorHash, TimeSpan idleLifetime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(successorHash);
        if (StateAt(now) != RefreshTokenState.Active)
        {
            throw new InvalidOperationException("Only an active refresh token can be rotated.");
        }

        RotatedAt = now;
        return new RefreshToken
        {
            Id = Guid.NewGuid(),
            OrganizationId = OrganizationId,
            ApplicationId = ApplicationId,
            UserId = UserId,
            TokenHash = successorHash,
            FamilyId = FamilyId,
            RotatedFromId = Id,
            Scope = Scope,
            Audience = Audience,
            AuthenticatedAt = AuthenticatedAt,
            Acr = Acr,
            Amr = Amr,
            CreatedAt = now,
            ExpiresAt = ExpiresAt,
            IdleExpiresAt = Min(now + idleLifetime, ExpiresAt),
        };
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    /// <summary>The grant's <c>acr</c> achieved and <c>amr</c> (space-separated), kept for refreshed ID tokens (product.md §16).</summary>
    public string? Acr { get; private set; }

    /// <inheritdoc cref="Acr"/>
    public string? Amr { get; private set; }

    public void KeepAuthentication(string? acr, string? amr)
    {
        Acr = acr;
        Amr = amr;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
