using Ciba.Application.Apis;
using Ciba.Application.Common.Protocol;

namespace Ciba.Web.Consent;

/// <summary>
/// The requested scopes in words on the consent page: OpenID scopes as <see cref="ScopeDescriptions"/>
/// says, <c>offline_access</c> as "stay signed in on the app", API scopes with the description
/// their API gives them (product.md §13).
/// </summary>
public sealed class ConsentScopeWords(ApiScopeCatalog catalog)
{
    public async Task<IReadOnlyList<string>> DescribeAsync(Guid organizationId, string applicationName, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var apiScopes = (await catalog.FindAsync(organizationId, scopes, cancellationToken)).ToDictionary(e => e.Value, StringComparer.Ordinal);
        return scopes.Select(scope => scope switch
        {
            Scopes.OfflineAccess => $"stay signed in on {applicationName}",
            _ when apiScopes.TryGetValue(scope, out var entry) => $"{entry.Description} ({entry.ApiName})",
            _ => ScopeDescriptions.Describe(scope),
        }).ToList();
    }
}
