using System.Net;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Outbound;

/// <summary>Where the service may connect on an organization's behalf, bound from <c>Ciba:Outbound</c>.</summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Ciba:Outbound";

    /// <summary>
    /// Addresses allowed although their class is refused (e.g. <c>127.0.0.1</c> for local fakes in
    /// tests and development). Exact addresses, no ranges. Empty by default.
    /// </summary>
    public IList<string> AllowedAddresses { get; } = [];

    public bool IsExplicitlyAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return AllowedAddresses.Any(a => IPAddress.TryParse(a, out var allowed) && allowed.Equals(normalized));
    }
}

internal sealed class OutboundOptionsValidator : IValidateOptions<OutboundOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundOptions options)
    {
        var invalid = options.AllowedAddresses.Where(a => !IPAddress.TryParse(a, out _)).ToList();
        return invalid.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Ciba:Outbound:AllowedAddresses must list IP addresses; not: {string.Join(", ", invalid)}.");
    }
}
