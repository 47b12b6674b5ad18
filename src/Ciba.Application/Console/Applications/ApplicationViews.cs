using Ciba.Domain.Applications;

namespace Ciba.Application.Console.Applications;

/// <summary>A row of the console's application list.</summary>
public sealed record ApplicationSummary(Guid Id, string Name, string ClientId, IReadOnlyList<string> GrantTypes);

/// <summary>An application as its General and Protocol tabs show it (never its secret or hash).</summary>
public sealed record ApplicationDetails(
    Guid Id,
    string Name,
    string? Description,
    string ClientId,
    IReadOnlyList<string> GrantTypes,
    CibaSettings CibaSettings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool AllowsCiba => GrantTypes.Contains(Domain.Applications.GrantTypes.Ciba, StringComparer.Ordinal);

    /// <summary>The algorithm of the application's ID tokens (ADR 0023).</summary>
    public string IdTokenSigningAlgorithm { get; init; } = SigningAlgorithms.Default;

    /// <summary>product.md §14 number matching (off by default).</summary>
    public bool NumberMatching { get; init; }

    /// <summary>product.md §16: the weakest sign-in that may approve (null: a password is enough).</summary>
    public string? MinimumAcr { get; init; }
}

/// <summary>A client secret in clear, returned once when it is created or replaced.</summary>
public sealed record IssuedClientSecret(Guid ApplicationId, string Name, string ClientId, string ClientSecret);
