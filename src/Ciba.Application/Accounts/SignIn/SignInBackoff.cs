using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Ciba.Application.Accounts.SignIn;

/// <summary>
/// The sign-in throttle's rule (docs/decisions/0012-sessions-and-sign-in-throttling.md): attempts
/// are counted per login as typed and per client address; the first <see cref="FreeAttempts"/>
/// wait for nothing, each further one doubles the wait before the next, up to <see cref="MaxDelay"/>.
/// A success clears the count; a count with no attempt for <see cref="ForgetAfter"/> starts again.
/// </summary>
public static class SignInBackoff
{
    public const int FreeAttempts = 5;

    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(12);

    /// <summary>How long the next attempt waits after <paramref name="failures"/> counted attempts.</summary>
    public static TimeSpan DelayAfter(int failures)
    {
        if (failures < FreeAttempts)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(failures - FreeAttempts + 1, 30);
        var seconds = Math.Min(1L << exponent, (long)MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The waits in seconds after 1, 2, … failures, until the cap (the last entry holds from there on).</summary>
    public static int[] DelayTable()
    {
        var table = new List<int>();
        for (var failures = 1; table.Count == 0 || table[^1] < MaxDelay.TotalSeconds; failures++)
        {
            table.Add((int)DelayAfter(failures).TotalSeconds);
        }

        return [.. table];
    }

    /// <summary>The login as a key: a hash, so a password typed into the login field is never stored.</summary>
    public static byte[] LoginKey(string login)
    {
        ArgumentNullException.ThrowIfNull(login);
        return SHA256.HashData(Encoding.UTF8.GetBytes(login.Trim().ToUpperInvariant()));
    }

    /// <summary>An IPv4 address as is; an IPv6 address by its /64 network, which one subscriber usually holds whole.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
