using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ciba.Testing;

/// <summary>
/// A fake HTTP provider on 127.0.0.1: records every request (method, path, query, headers, body)
/// and answers with scripted responses, in order, then with <see cref="DefaultResponse"/>.
/// </summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private RecordingHttpServer(HttpListener listener, string baseUrl)
    {
        _listener = listener;
        BaseUrl = baseUrl;
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Like <c>http://127.0.0.1:54321</c> (no trailing slash).</summary>
    public string BaseUrl { get; }

    public ScriptedResponse DefaultResponse { get; set; } = new(200, string.Empty);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static RecordingHttpServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new RecordingHttpServer(listener, $"http://127.0.0.1:{port}");
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public RecordingHttpServer Enqueue(ScriptedResponse response)
    {
        _script.Enqueue(response);
        return this;
    }

    public RecordingHttpServer Enqueue(int status, string body = "", string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null, TimeSpan delay = default) =>
        Enqueue(new ScriptedResponse(status, body, contentType, headers, delay));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        try
        {
            var request = context.Request;
            string body;
            using (var reader = new StreamReader(request.InputStream, request.ContentEncoding ?? Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync();
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in request.Headers.AllKeys.OfType<string>())
            {
                headers[name] = request.Headers[name] ?? string.Empty;
            }

            _requests.Enqueue(new RecordedRequest(
                request.HttpMethod, request.Url!.AbsolutePath, request.Url.Query, headers, body, request.ContentType));

            var scripted = _script.TryDequeue(out var next) ? next : DefaultResponse;
            if (scripted.Delay > TimeSpan.Zero)
            {
                await Task.Delay(scripted.Delay, _stopping.Token);
            }

            var response = context.Response;
            response.StatusCode = scripted.Status;
            response.ContentType = scripted.ContentType;
            foreach (var (name, value) in scripted.Headers ?? new Dictionary<string, string>())
            {
                response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(scripted.Body);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client gave up (a timeout test) or the server is stopping.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record ScriptedResponse(
    int Status,
    string Body,
    string ContentType = "application/json",
    IReadOnlyDictionary<string, string>? Headers = null,
    TimeSpan Delay = default);

public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    string? ContentType)
{
    /// <summary>The body read as <c>application/x-www-form-urlencoded</c>.</summary>
    public NameValueCollection Form => System.Web.HttpUtility.ParseQueryString(Body);
}
