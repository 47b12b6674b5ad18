namespace Ciba.Web.Protocol.Discovery;

/// <summary>OpenID Provider metadata (OpenID Connect Discovery §3, CIBA Core §4; product.md §7).</summary>
public sealed partial record DiscoveryDocument(
    string Issuer,
    string BackchannelAuthenticationEndpoint,
    string TokenEndpoint,
    string JwksUri,
    string UserinfoEndpoint,
    IReadOnlyList<string> GrantTypesSupported,
    IReadOnlyList<string> BackchannelTokenDeliveryModesSupported,
    bool BackchannelUserCodeParameterSupported,
    IReadOnlyList<string> ScopesSupported,
    IReadOnlyList<string> ClaimsSupported,
    IReadOnlyList<string> ResponseTypesSupported,
    IReadOnlyList<string> SubjectTypesSupported,
    IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    IReadOnlyList<string> TokenEndpointAuthMethodsSupported);

/// <summary>A JWK Set (RFC 7517 §5).</summary>
public sealed record JsonWebKeySetDocument(IReadOnlyList<JsonWebKeyDocument> Keys);

/// <summary>An RSA public signing key (RFC 7517 §4, RFC 7518 §6.3.1).</summary>
public sealed record JsonWebKeyDocument(string Kty, string Use, string Alg, string Kid, string N, string E);
