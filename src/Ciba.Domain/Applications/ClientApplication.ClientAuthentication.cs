namespace Ciba.Domain.Applications;

/// <summary>How the application proves who it is, and whether its requests must be signed (product.md §10).</summary>
public sealed partial class ClientApplication
{
    public const int MaxJwksLength = 16 * 1024;
    public const int MaxJwksUriLength = 2000;

    /// <summary>The one method the client authenticates with at every endpoint.</summary>
    public TokenEndpointAuthMethod TokenEndpointAuthMethod { get; private set; }

    /// <summary>The client's public keys as a JWK Set (JSON), checked when saved.</summary>
    public string? Jwks { get; private set; }

    /// <summary>Where the client publishes its JWK Set, fetched with the outbound rules and cached.</summary>
    public string? JwksUri { get; private set; }

    /// <summary>FAPI-CIBA: every backchannel request must come as a signed <c>request</c>.</summary>
    public bool RequireSignedRequests { get; private set; }

    public bool HasKeys => Jwks is not null || JwksUri is not null;

    /// <summary>
    /// Sets the method and keys. <c>private_key_jwt</c> and required signed requests need keys
    /// (a JWK Set or its URL); the JWK Set's contents are checked by the caller, which can parse keys.
    /// </summary>
    public void UpdateClientAuthentication(
        TokenEndpointAuthMethod method, string? jwks, string? jwksUri, bool requireSignedRequests, DateTimeOffset now)
    {
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown method.");
        }

        jwks = string.IsNullOrWhiteSpace(jwks) ? null : jwks.Trim();
        jwksUri = string.IsNullOrWhiteSpace(jwksUri) ? null : jwksUri.Trim();
        if (jwks?.Length > MaxJwksLength || jwksUri?.Length > MaxJwksUriLength)
        {
            throw new ArgumentOutOfRangeException(nameof(jwks), "JWKS or its URL too long.");
        }

        if (jwksUri is not null && !IsHttpUrl(jwksUri))
        {
            throw new ArgumentException("The JWKS URL must be an absolute http(s) URL.", nameof(jwksUri));
        }

        if ((method == TokenEndpointAuthMethod.PrivateKeyJwt || requireSignedRequests) && jwks is null && jwksUri is null)
        {
            throw new ArgumentException("private_key_jwt and signed requests need the client's keys.", nameof(jwks));
        }

        TokenEndpointAuthMethod = method;
        Jwks = jwks;
        JwksUri = jwksUri;
        RequireSignedRequests = requireSignedRequests;
        UpdatedAt = now;
    }

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Fragment);
}
