using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Outbound;

/// <summary>Looks up a host name's addresses. Tests replace it with a stub; it is never asked about IP literals.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

internal sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>An outbound connection refused before it was made: the host resolved to an unsafe address.</summary>
public sealed class OutboundAddressRefusedException : Exception
{
    public OutboundAddressRefusedException()
        : this("unknown")
    {
    }

    public OutboundAddressRefusedException(string addressClass)
        : base($"The host resolves to a refused address ({addressClass}); no connection was made.")
    {
        AddressClass = addressClass;
    }

    public OutboundAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        AddressClass = "unknown";
    }

    public string AddressClass { get; }
}

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of every client that calls a URL an
/// organization chose: resolves the host once, refuses unless every address is safe (or listed in
/// <see cref="OutboundOptions.AllowedAddresses"/>), and connects to exactly the addresses it
/// checked, so a second lookup (DNS rebinding) cannot redirect the connection.
/// </summary>
public sealed class OutboundConnector(IHostResolver resolver, IOptions<OutboundOptions> options)
{
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ConnectAsync(context, alsoAllowed: null, cancellationToken);

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, Func<IPAddress, bool>? alsoAllowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addresses = await CheckedAddressesAsync(context.DnsEndPoint.Host, cancellationToken, alsoAllowed);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The addresses of <paramref name="host"/> this service may connect to; throws <see cref="OutboundAddressRefusedException"/> otherwise.</summary>
    /// <param name="alsoAllowed">An exception of the caller's (Development's loopback for callbacks, product.md §11).</param>
    public async Task<IPAddress[]> CheckedAddressesAsync(string host, CancellationToken cancellationToken, Func<IPAddress, bool>? alsoAllowed = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var literal = host.Trim('[', ']');
        var addresses = IPAddress.TryParse(literal, out var address) ? [address] : await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new OutboundAddressRefusedException("no address");
        }

        foreach (var candidate in addresses)
        {
            var refused = OutboundAddressPolicy.RefusedClass(candidate);
            if (refused is not null && !options.Value.IsExplicitlyAllowed(candidate) && alsoAllowed?.Invoke(candidate) != true)
            {
                throw new OutboundAddressRefusedException(refused);
            }
        }

        return addresses;
    }

    /// <summary>The handler for outbound clients: checked connections, no redirects, no cookies.</summary>
    public SocketsHttpHandler CreateHandler() => CreateHandler(alsoAllowed: null);

    /// <summary>The same handler, with an exception of the caller's to the refused address classes.</summary>
    public SocketsHttpHandler CreateHandler(Func<IPAddress, bool>? alsoAllowed) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, alsoAllowed, cancellationToken),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };
}
