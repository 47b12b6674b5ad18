namespace Ciba.Web.Consent;

public sealed class WrongAccountViewModel
{
    public required string UserName { get; init; }

    public required string SignOutUrl { get; init; }

    /// <summary>The link again, so that signing in as the right person leads back to the request.</summary>
    public required string ReturnUrl { get; init; }
}
