namespace Ciba.Web.Consent;

public sealed class ConsentViewModel
{
    public required string ApplicationName { get; init; }

    public string? BindingMessage { get; init; }

    /// <summary>The requested scopes in plain words.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public required string ExpiresIn { get; init; }

    public required string UserName { get; init; }

    public required string AuthCodeKey { get; init; }

    public required string ApproveUrl { get; init; }

    public required string DenyUrl { get; init; }
}
