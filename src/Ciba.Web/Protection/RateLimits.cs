using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Protection;

/// <summary>product.md §14 rate limits per address on sign-in and on the consent page's POSTs (ADR 0026).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Ciba:RateLimits";

    /// <summary>Attempts one address may make in <see cref="PerAddressWindow"/> (default 30, generous enough for a person).</summary>
    [Range(1, int.MaxValue)]
    public int PerAddressPermitLimit { get; set; } = 30;

    /// <summary>Default 5 minutes.</summary>
    public TimeSpan PerAddressWindow { get; set; } = TimeSpan.FromMinutes(5);
}

public static class RateLimits
{
    /// <summary>The policy on the sign-in POST and the consent page's decision POSTs.</summary>
    public const string PerAddress = "per-address";

    public static IServiceCollection AddCibaRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.PerAddressWindow > TimeSpan.Zero && o.PerAddressWindow <= TimeSpan.FromDays(1), "Ciba:RateLimits:PerAddressWindow must be more than zero and at most a day.")
            .ValidateOnStart();
        services.AddSingleton<ApplicationRateLimit>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerAddress, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PerAddressPermitLimit,
                    Window = options.PerAddressWindow,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : (int)Math.Ceiling(rejected.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.PerAddressWindow.TotalSeconds);
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                response.Headers.CacheControl = "no-store";
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync(
                    $"Too many attempts from your network. Wait {retryAfter} seconds, then try again.", cancellationToken);
            };
        });
        return services;
    }
}
