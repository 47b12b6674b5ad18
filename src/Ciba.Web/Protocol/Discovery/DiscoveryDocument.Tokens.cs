namespace Ciba.Web.Protocol.Discovery;

/// <summary>The token lifecycle endpoints (product.md §13; RFC 8414 §2).</summary>
public sealed partial record DiscoveryDocument
{
    public string? RevocationEndpoint { get; init; }

    public IReadOnlyList<string>? RevocationEndpointAuthMethodsSupported { get; init; }

    public string? IntrospectionEndpoint { get; init; }

    public IReadOnlyList<string>? IntrospectionEndpointAuthMethodsSupported { get; init; }
}
