namespace Ciba.Domain.Organizations;

/// <summary>
/// product.md §12: an issuer of <c>login_hint_token</c>s the organization trusts: its <c>iss</c> and
/// the public keys (a JWK Set) its tokens are signed with.
/// </summary>
public sealed class TrustedHintIssuer
{
    public const int MaxIssuerLength = 200;
    public const int MaxJwksLength = 20_000;

    private TrustedHintIssuer()
    {
        Issuer = string.Empty;
        Jwks = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The <c>iss</c> of its tokens, compared exactly.</summary>
    public string Issuer { get; private set; }

    /// <summary>Its public keys, a JWK Set as the administrator pasted it (checked before it is stored).</summary>
    public string Jwks { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static TrustedHintIssuer Create(Guid organizationId, string issuer, string jwks, DateTimeOffset now)
    {
        var trusted = new TrustedHintIssuer { Id = Guid.NewGuid(), OrganizationId = organizationId, CreatedAt = now };
        trusted.Update(issuer, jwks, now);
        return trusted;
    }

    public void Update(string issuer, string jwks, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(jwks);
        if (issuer.Length > MaxIssuerLength || jwks.Length > MaxJwksLength)
        {
            throw new ArgumentOutOfRangeException(nameof(issuer), "Issuer or JWK Set too long.");
        }

        Issuer = issuer;
        Jwks = jwks;
        UpdatedAt = now;
    }
}
