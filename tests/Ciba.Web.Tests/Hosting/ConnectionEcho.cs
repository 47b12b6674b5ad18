using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Hosting;

/// <summary>
/// A test-only endpoint at the end of the app's pipeline that answers with what the app believes
/// about the connection (client address and scheme, after forwarded headers), and a way to send a
/// request from any client address.
/// </summary>
public static class ConnectionEcho
{
    public const string Path = "/__test/connection";

    public static IWebHostBuilder AddConnectionEcho(this IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, EchoStartupFilter>());

    /// <summary>Sends a request as if it came from <paramref name="remote"/> over <paramref name="scheme"/>.</summary>
    public static Task<HttpContext> SendFromAsync(
        this TestServer server, string remote, string scheme, string path, IReadOnlyDictionary<string, string>? headers = null, string host = "ciba.test") =>
        server.SendAsync(context =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            context.Request.Scheme = scheme;
            context.Request.Host = new HostString(host);
            context.Request.Method = HttpMethods.Get;
            var query = path.IndexOf('?', StringComparison.Ordinal);
            context.Request.Path = query < 0 ? path : path[..query];
            context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                context.Request.Headers[name] = value;
            }
        });

    public static async Task<string> BodyAsync(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var reader = new StreamReader(context.Response.Body);
        return await reader.ReadToEndAsync();
    }

    private sealed class EchoStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(Path, echo => echo.Run(context =>
                context.Response.WriteAsync($"{context.Connection.RemoteIpAddress}|{context.Request.Scheme}")));
        };
    }
}
