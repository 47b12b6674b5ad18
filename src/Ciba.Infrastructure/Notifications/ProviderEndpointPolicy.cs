using System.Net;
using Ciba.Application.Notifications.Providers;
using Ciba.Infrastructure.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Notifications;

/// <summary>
/// The operator's rules for provider settings: the development inbox only in Development (or the
/// test host), custom base URLs only when <c>Ciba:Notifications:AllowCustomProviderBaseUrls</c> is
/// on, and https only, except in Development or for an address the operator allowed explicitly
/// (<c>Ciba:Outbound:AllowedAddresses</c>, e.g. a local fake on 127.0.0.1).
/// </summary>
public sealed class ProviderEndpointPolicy(
    IOptions<NotificationOptions> notifications, IOptions<OutboundOptions> outbound, IServiceProvider services) : IProviderEndpointPolicy
{
    /// <summary>The environment name of the test hosts, which seed the demo organization with the development inbox.</summary>
    public const string TestingEnvironment = "Testing";

    private readonly Lazy<IHostEnvironment?> _environment = new(services.GetService<IHostEnvironment>);

    public bool IsDevelopment => _environment.Value?.IsDevelopment() ?? false;

    public bool DevelopmentInboxAllowed => IsDevelopment || (_environment.Value?.IsEnvironment(TestingEnvironment) ?? false);

    public bool CustomBaseUrlsAllowed => notifications.Value.AllowCustomProviderBaseUrls;

    public string? RefusalFor(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (url.Scheme != Uri.UriSchemeHttp)
        {
            return "only https URLs are called";
        }

        var explicitlyAllowed = IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && outbound.Value.IsExplicitlyAllowed(address);
        return IsDevelopment || explicitlyAllowed ? null : "plain http is called only in Development";
    }

    /// <summary>The base URL to call: the organization's own only when custom URLs are allowed, else the provider's default.</summary>
    public string BaseUrlFor(string? custom, string providerDefault) =>
        string.IsNullOrWhiteSpace(custom) || !CustomBaseUrlsAllowed ? providerDefault : custom.Trim();
}
