namespace Ciba.Infrastructure.Tokens;

/// <summary>
/// A key that signs ID and access tokens. The private key is stored encrypted with ASP.NET Core
/// Data Protection; the public part is published in the JWKS.
/// </summary>
public sealed class SigningKey
{
    public required string KeyId { get; init; }

    public required string Algorithm { get; init; }

    /// <summary>PKCS#8 private key, protected by Data Protection.</summary>
    public required string ProtectedPrivateKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When set, the key no longer signs but stays published until tokens signed with it expire.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
