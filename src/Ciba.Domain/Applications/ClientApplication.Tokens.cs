namespace Ciba.Domain.Applications;

/// <summary>The token lifecycle of an application (product.md §13): refresh tokens and the API scopes it may request.</summary>
public sealed partial class ClientApplication
{
    private List<string> _apiScopes = [];

    public RefreshTokenSettings RefreshTokens { get; private set; } = RefreshTokenSettings.Default;

    /// <summary>The organization's API scopes this application may request (values of <see cref="Apis.ApiScope"/>).</summary>
    public IReadOnlyList<string> ApiScopes => _apiScopes;

    public bool AllowsRefreshToken => _grantTypes.Contains(Applications.GrantTypes.RefreshToken, StringComparer.Ordinal);

    public void UpdateTokens(RefreshTokenSettings refreshTokens, IEnumerable<string> apiScopes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(refreshTokens);
        ArgumentNullException.ThrowIfNull(apiScopes);
        RefreshTokens = refreshTokens;
        _apiScopes = apiScopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        UpdatedAt = now;
    }

    /// <summary>Forgets an API scope that no longer exists.</summary>
    public void RemoveApiScope(string value) => _apiScopes.Remove(value);
}
