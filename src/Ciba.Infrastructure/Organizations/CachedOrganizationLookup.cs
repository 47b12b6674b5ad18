using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Infrastructure.Organizations;

/// <summary>
/// Organization handles are immutable, so a found organization is cached for a while; an unknown
/// handle is cached briefly so a newly created organization shows up within seconds on every node.
/// </summary>
public sealed class CachedOrganizationLookup(IServiceScopeFactory scopes, IMemoryCache cache, IDatabaseFailures failures) : IOrganizationLookup
{
    private static readonly TimeSpan FoundLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MissingLifetime = TimeSpan.FromSeconds(2);

    public async Task<OrganizationSummary?> FindByHandleAsync(string handle, CancellationToken cancellationToken)
    {
        if (!Organization.IsValidHandle(handle))
        {
            return null;
        }

        var key = (typeof(CachedOrganizationLookup), handle);
        if (cache.TryGetValue(key, out OrganizationSummary? cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var found = await failures.RetryReadOnceAsync(() => db.Organizations.AsNoTracking()
            .Where(o => o.Handle == handle)
            .Select(o => new OrganizationSummary(o.Id, o.Handle, o.Name))
            .SingleOrDefaultAsync(cancellationToken));
        cache.Set(key, found, found is null ? MissingLifetime : FoundLifetime);
        return found;
    }
}
