using System.Net;
using System.Net.Sockets;

namespace Ciba.Infrastructure.Outbound;

/// <summary>
/// The address classes the service never connects to on an organization's behalf (product.md §11,
/// outbound safety): loopback, private (RFC 1918), link-local (with the cloud metadata address
/// 169.254.169.254), shared/CGNAT (RFC 6598), multicast, unspecified, reserved and broadcast;
/// for IPv6 also unique-local, link-local, site-local and IPv4-mapped or -translated addresses.
/// </summary>
public static class OutboundAddressPolicy
{
    /// <summary>The class that makes <paramref name="address"/> unsafe, or null when it is a public unicast address.</summary>
    public static string? RefusedClass(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => RefusedIPv4Class(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => RefusedIPv6Class(address),
            _ => "not an IP address",
        };
    }

    private static string? RefusedIPv4Class(byte[] b) => b switch
    {
        [0, ..] => "unspecified",
        [127, ..] => "loopback",
        [10, ..] => "private",
        [172, var x, ..] when x is >= 16 and <= 31 => "private",
        [192, 168, ..] => "private",
        [169, 254, 169, 254] => "cloud metadata",
        [169, 254, ..] => "link-local",
        [100, var x, ..] when x is >= 64 and <= 127 => "shared (CGNAT)",
        [192, 0, 0, _] => "reserved",
        [198, var x, ..] when x is 18 or 19 => "reserved",
        [var x, ..] when x is >= 224 and <= 239 => "multicast",
        [var x, ..] when x >= 240 => "reserved or broadcast",
        _ => null,
    };

    private static string? RefusedIPv6Class(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return "IPv4-mapped";
        }

        var b = address.GetAddressBytes();
        if (address.IsIPv6Multicast)
        {
            return "multicast";
        }

        if (address.IsIPv6LinkLocal)
        {
            return "link-local";
        }

        if (address.IsIPv6SiteLocal)
        {
            return "site-local";
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return "unique-local";
        }

        // 64:ff9b::/96 (NAT64) and ::/96 (IPv4-compatible) carry an IPv4 address that could be private.
        if ((b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) || b.Take(12).All(x => x == 0))
        {
            return "IPv4-translated";
        }

        return null;
    }
}
