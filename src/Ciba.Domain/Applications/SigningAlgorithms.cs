namespace Ciba.Domain.Applications;

/// <summary>
/// The JWS algorithms the service signs ID tokens with (product.md §10; docs/decisions/0023-signing-algorithms.md):
/// each organization has a key for each, and each application picks one for its ID tokens.
/// </summary>
public static class SigningAlgorithms
{
    public const string RS256 = "RS256";
    public const string PS256 = "PS256";
    public const string ES256 = "ES256";

    /// <summary>The default ID token algorithm, and the one access tokens are always signed with.</summary>
    public const string Default = RS256;

    /// <summary>Every algorithm an organization has a key for, in the order discovery lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [RS256, PS256, ES256];

    /// <summary>Exact, case-sensitive: JWS algorithm names are (RFC 7515 §4.1.1).</summary>
    public static bool IsSupported(string? algorithm) => algorithm is not null && All.Contains(algorithm, StringComparer.Ordinal);
}
