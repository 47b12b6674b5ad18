using System.Net;

namespace Ciba.Web.Hosting;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> headers are
/// believed, bound from <c>Ciba:ForwardedHeaders</c>. Empty by default: then the headers are
/// ignored from everyone, loopback included (ASP.NET Core would otherwise trust loopback).
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Ciba:ForwardedHeaders";

    /// <summary>Addresses of the proxies, e.g. <c>10.0.0.5</c> or <c>2001:db8::5</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks the proxies live in, in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in a row to walk back through (the entries of <c>X-Forwarded-For</c> read from the right).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<string> Validate()
    {
        foreach (var proxy in KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                yield return $"{SectionName}:KnownProxies: '{Printable(proxy)}' is not an IP address.";
            }
        }

        foreach (var network in KnownNetworks)
        {
            if (!System.Net.IPNetwork.TryParse(network, out _))
            {
                yield return $"{SectionName}:KnownNetworks: '{Printable(network)}' is not a network in CIDR form (such as 10.0.0.0/24).";
            }
        }

        if (ForwardLimit is < 1 or > 10)
        {
            yield return $"{SectionName}:ForwardLimit must be between 1 and 10.";
        }
    }

    private static string Printable(string value) =>
        new(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
