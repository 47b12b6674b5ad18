namespace Ciba.Web.Protocol.Discovery;

/// <summary>The authentication context classes (OpenID Connect Discovery §3, product.md §16).</summary>
public sealed partial record DiscoveryDocument
{
    public IReadOnlyList<string>? AcrValuesSupported { get; init; }
}
