namespace Ciba.Domain.Applications;

/// <summary>The application's ID token signing algorithm (product.md §10; ADR 0023).</summary>
public sealed partial class ClientApplication
{
    public const int MaxSigningAlgorithmLength = 16;

    /// <summary>RS256 (the default), PS256 or ES256: the algorithm of the ID tokens issued to this client.</summary>
    public string IdTokenSigningAlgorithm { get; private set; } = SigningAlgorithms.Default;

    public void ChangeIdTokenSigningAlgorithm(string algorithm, DateTimeOffset now)
    {
        if (!SigningAlgorithms.IsSupported(algorithm))
        {
            throw new ArgumentException($"ID tokens are signed with one of {string.Join(", ", SigningAlgorithms.All)}.", nameof(algorithm));
        }

        IdTokenSigningAlgorithm = algorithm;
        UpdatedAt = now;
    }
}
