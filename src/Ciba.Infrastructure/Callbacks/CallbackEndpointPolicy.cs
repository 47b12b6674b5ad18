using System.Net;
using Ciba.Application.Callbacks;
using Ciba.Domain.Applications;
using Ciba.Infrastructure.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Callbacks;

/// <summary>
/// product.md §11: a notification endpoint is https; in Development also <c>http://127.0.0.1</c>,
/// <c>http://[::1]</c> and <c>http://localhost</c>, and anywhere plain http to an IP address the
/// operator listed in <c>Ciba:Outbound:AllowedAddresses</c> (as for provider URLs, ADR 0016).
/// Checked when the console saves the endpoint and again before each callback.
/// </summary>
public sealed class CallbackEndpointPolicy(IOptions<OutboundOptions> outbound, IServiceProvider services) : ICallbackEndpointPolicy
{
    private readonly Lazy<IHostEnvironment?> _environment = new(services.GetService<IHostEnvironment>);

    public bool IsDevelopment => _environment.Value?.IsDevelopment() ?? false;

    public string? RefusalFor(string? endpoint) => ClientNotificationEndpoint.Refusal(endpoint, PlainHttpAllowed);

    /// <summary>Development connects to loopback addresses (product.md §11); elsewhere only the operator's allowlist lifts a refusal.</summary>
    public bool ConnectionAlsoAllowed(IPAddress address) => IsDevelopment && IPAddress.IsLoopback(address);

    private bool PlainHttpAllowed(Uri uri) =>
        (IsDevelopment && ClientNotificationEndpoint.IsLoopbackHttp(uri))
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && outbound.Value.IsExplicitlyAllowed(address));
}
