namespace Ciba.Infrastructure.Tokens;

/// <summary>
/// A key of one organization that signs its ID and access tokens. The private key is stored
/// encrypted with ASP.NET Core Data Protection; the public part is published in the organization's JWKS.
/// </summary>
public sealed class SigningKey
{
    public required string KeyId { get; init; }

    public Guid OrganizationId { get; init; }

    public required string Algorithm { get; init; }

    /// <summary>PKCS#8 private key, protected by Data Protection.</summary>
    public required string ProtectedPrivateKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it starts to sign: after every node's cache has seen it published (ADR 0015).</summary>
    public DateTimeOffset ActivatesAt { get; init; }

    /// <summary>When it stops signing; it stays published until tokens signed with it expire.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
