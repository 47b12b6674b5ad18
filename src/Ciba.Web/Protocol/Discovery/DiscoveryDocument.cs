namespace Ciba.Web.Protocol.Discovery;

/// <summary>
/// OpenID Provider metadata (OpenID Connect Discovery §3, CIBA Core §4, RFC 8414 §2; product.md §7, §10 and §13),
/// served at the OpenID location and at the RFC 8414 §3 location.
/// </summary>
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
    IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    IReadOnlyList<string> TokenEndpointAuthSigningAlgValuesSupported,
    IReadOnlyList<string> BackchannelAuthenticationRequestSigningAlgValuesSupported,
    bool RequestParameterSupported);

/// <summary>A JWK Set (RFC 7517 §5).</summary>
public sealed record JsonWebKeySetDocument(IReadOnlyList<JsonWebKeyDocument> Keys);

/// <summary>
/// A public signing key for one algorithm (RFC 7517 §4): RSA with <c>n</c> and <c>e</c> (RFC 7518 §6.3.1)
/// or EC with <c>crv</c>, <c>x</c> and <c>y</c> (RFC 7518 §6.2.1); the members of the other type are omitted.
/// </summary>
public sealed record JsonWebKeyDocument(string Kty, string Use, string Alg, string Kid, string? N = null, string? E = null, string? Crv = null, string? X = null, string? Y = null);
