using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Domain.Apis;

namespace Ciba.Application.Apis;

/// <summary>
/// The APIs a backchannel request's access token is for (product.md §13, RFC 8707): the APIs of its
/// API scopes; with <c>resource</c>, that one API, which every API scope must belong to.
/// </summary>
public sealed class ApiAudiences(ApiScopeCatalog catalog)
{
    public async Task<Result<IReadOnlyList<string>>> ResolveAsync(Guid organizationId, string scope, string? resource, CancellationToken cancellationToken)
    {
        var requested = Scopes.Parse(scope).Where(s => !Scopes.IsSupported(s)).ToList();
        var entries = requested.Count == 0 ? [] : await catalog.FindAsync(organizationId, requested, cancellationToken);
        if (entries.Count != requested.Count)
        {
            return new Error(OAuthErrorCodes.InvalidScope, "The scope contains an unknown value.");
        }

        var apis = entries.Select(e => e.ApiIdentifier).Distinct(StringComparer.Ordinal).ToList();
        if (string.IsNullOrEmpty(resource))
        {
            return apis;
        }

        if (!ApiResource.IsValidIdentifier(resource) || !apis.Contains(resource, StringComparer.Ordinal))
        {
            return new Error(OAuthErrorCodes.InvalidTarget, "The resource is not an API that the requested scopes are for.");
        }

        return apis.Count == 1
            ? apis
            : new Error(OAuthErrorCodes.InvalidScope, "With a resource, every API scope must be for that API.");
    }
}
