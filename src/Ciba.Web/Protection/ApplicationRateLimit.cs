using System.Threading.RateLimiting;
using Ciba.Application.Common.Interfaces;
using Ciba.Web.Protocol;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Ciba.Web.Protection;

/// <summary>
/// product.md §14, ADR 0026: the per-application limit on the backchannel, token, revocation and
/// introspection endpoints together (<see cref="Domain.Applications.ClientApplication.RateLimitPerMinute"/>,
/// off by default). Partitioned by organization and the client id as presented (Basic, form
/// <c>client_id</c>, or the unverified issuer of a client assertion: for partitioning only), before
/// the client is authenticated; the limit itself is read at most once a minute per client.
/// A fixed one-minute window of the built-in <see cref="PartitionedRateLimiter"/>.
/// </summary>
public sealed class ApplicationRateLimit(IMemoryCache cache) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int MaxClientIdLength = 256;
    private static readonly TimeSpan SettingLifetime = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<Partition> _limiter = PartitionedRateLimiter.Create<Partition, Partition>(
        partition => RateLimitPartition.GetFixedWindowLimiter(partition, p => new FixedWindowRateLimiterOptions
        {
            PermitLimit = p.PerMinute,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Null when the request may go on; otherwise the 429 answer.</summary>
    public static async Task<IActionResult?> CheckAsync(HttpContext context, OrganizationSummary organization, string? clientId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(organization);
        // Only a client id that could be stored is looked up; authentication refuses the rest.
        if (string.IsNullOrEmpty(clientId) || clientId.Length > MaxClientIdLength || clientId.Any(char.IsControl))
        {
            return null;
        }

        var limiter = context.RequestServices.GetRequiredService<ApplicationRateLimit>();
        var perMinute = await limiter.LimitAsync(context, organization, clientId);
        if (perMinute is null)
        {
            return null;
        }

        using var lease = limiter._limiter.AttemptAcquire(new Partition(organization.Id, clientId, perMinute.Value));
        if (lease.IsAcquired)
        {
            return null;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : (int)Window.TotalSeconds;
        return OAuthErrorResults.RateLimited(perMinute.Value, retryAfter);
    }

    public void Dispose() => _limiter.Dispose();

    private async Task<int?> LimitAsync(HttpContext context, OrganizationSummary organization, string clientId)
    {
        var key = (typeof(ApplicationRateLimit), organization.Id, clientId);
        if (cache.TryGetValue(key, out int? cached))
        {
            return cached;
        }

        var db = context.RequestServices.GetRequiredService<IApplicationDbContext>();
        var limits = await db.Applications.AsNoTracking()
            .Where(a => a.OrganizationId == organization.Id && a.ClientId == clientId)
            .Select(a => a.RateLimitPerMinute)
            .Take(1)
            .ToListAsync(context.RequestAborted);
        int? perMinute = limits.Count == 1 && limits[0] is > 0 ? limits[0] : null;
        cache.Set(key, perMinute, SettingLifetime);
        return perMinute;
    }

    private readonly record struct Partition(Guid OrganizationId, string ClientId, int PerMinute);
}
