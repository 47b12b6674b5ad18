using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Apis;

/// <summary>An API scope as the protocol sees it: its value, its words, and the API (audience) it belongs to.</summary>
public sealed record ApiScopeEntry(string Value, string Description, string ApiIdentifier, string ApiName);

/// <summary>Looks up an organization's API scopes by value (product.md §13).</summary>
public sealed class ApiScopeCatalog(IApplicationDbContext db)
{
    /// <summary>The organization's API scopes among <paramref name="values"/>; OpenID scopes are never looked up.</summary>
    public async Task<IReadOnlyList<ApiScopeEntry>> FindAsync(Guid organizationId, IEnumerable<string> values, CancellationToken cancellationToken)
    {
        var wanted = values.Where(v => !Scopes.IsSupported(v)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        return await (
                from scope in db.ApiScopes.AsNoTracking()
                join api in db.ApiResources.AsNoTracking() on scope.ApiResourceId equals api.Id
                where scope.OrganizationId == organizationId && wanted.Contains(scope.Value)
                select new ApiScopeEntry(scope.Value, scope.Description, api.Identifier, api.Name))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Every API scope value of the organization, for discovery's <c>scopes_supported</c>.</summary>
    public async Task<IReadOnlyList<string>> ListValuesAsync(Guid organizationId, CancellationToken cancellationToken) =>
        await db.ApiScopes.AsNoTracking()
            .Where(s => s.OrganizationId == organizationId)
            .OrderBy(s => s.Value)
            .Select(s => s.Value)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// The audiences of an access token for <paramref name="scope"/> (product.md §13): the identifiers
    /// of the APIs whose scopes it carries, plus the userinfo endpoint when it also carries claims
    /// scopes (profile, email, phone); the userinfo endpoint alone when it carries no API scope.
    /// </summary>
    public static IReadOnlyList<string> AudiencesFor(IReadOnlyList<string> scopes, IEnumerable<string> apiIdentifiers, string userInfoEndpoint)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var apis = apiIdentifiers.Distinct(StringComparer.Ordinal).ToList();
        if (apis.Count == 0)
        {
            return [userInfoEndpoint];
        }

        if (scopes.Any(s => s is Scopes.Profile or Scopes.Email or Scopes.Phone))
        {
            apis.Add(userInfoEndpoint);
        }

        return apis;
    }
}
