using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

// Ciba's load tool: drives a running instance for a fixed time at a given concurrency and reports
// requests/s, p50, p99 and the server's peak RSS. See docs/benchmarks.md.
var options = BenchOptions.Parse(args);
using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Concurrency,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    AllowAutoRedirect = false,
};
using var http = new HttpClient(handler) { BaseAddress = new Uri(options.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
    "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}")));

var scenarios = options.Scenario == "all" ? new[] { "backchannel", "poll" } : new[] { options.Scenario };
foreach (var scenario in scenarios)
{
    var result = scenario switch
    {
        "backchannel" => await Load.RunAsync(options, ct => Requests.BackchannelAsync(http, options, ct)),
        "poll" => await RunPollsAsync(),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}'. Use backchannel, poll or all."),
    };
    result.Print(scenario, options);
}

async Task<LoadResult> RunPollsAsync()
{
    var ids = new string[options.PendingRequests];
    for (var i = 0; i < ids.Length; i++)
    {
        ids[i] = await Requests.CreateAuthRequestAsync(http, options, CancellationToken.None);
    }

    var next = -1;
    return await Load.RunAsync(options, ct =>
    {
        var index = (int)((uint)Interlocked.Increment(ref next) % (uint)ids.Length);
        return Requests.PollAsync(http, ids[index], ct);
    });
}

internal sealed record BenchOptions(
    string BaseUrl, string Organization, string ClientId, string ClientSecret, string LoginHint,
    string Scenario, int Concurrency, TimeSpan Duration, TimeSpan Warmup, int PendingRequests, int? ServerPid, int Users = 0)
{
    private int _next;

    /// <summary>
    /// The person each backchannel request names: round robin over the <c>CIBA_DEMO_USERS</c>
    /// synthetic users (user00001…) when <c>--users N</c> is given, so the anti-fatigue limits per
    /// person (product.md §14) do not refuse a load that spreads over many people; else --login-hint.
    /// </summary>
    public string NextLoginHint() => Users <= 0
        ? LoginHint
        : "user" + (((uint)Interlocked.Increment(ref _next) % (uint)Users) + 1).ToString("D5", CultureInfo.InvariantCulture);

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string name, string fallback) => values.TryGetValue(name, out var value) ? value : fallback;
        int GetInt(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new BenchOptions(
            Get("url", "http://127.0.0.1:5080"),
            Get("org", "demo"),
            Get("client-id", "demo-kiosk"),
            Get("client-secret", "demo-kiosk-secret"),
            Get("login-hint", "alice"),
            Get("scenario", "all"),
            GetInt("concurrency", 32),
            TimeSpan.FromSeconds(GetInt("seconds", 20)),
            TimeSpan.FromSeconds(GetInt("warmup", 5)),
            GetInt("pending", 200),
            values.TryGetValue("server-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            GetInt("users", 0));
    }
}

internal static class Requests
{
    public static async Task<bool> BackchannelAsync(HttpClient http, BenchOptions options, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"/t/{options.Organization}/oauth2/ciba", BackchannelForm(options), cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    public static async Task<string> CreateAuthRequestAsync(HttpClient http, BenchOptions options, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"/t/{options.Organization}/oauth2/ciba", BackchannelForm(options), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Backchannel request failed: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("auth_req_id").GetString()!;
    }

    /// <summary>A poll of a pending request: 400 authorization_pending or slow_down is the expected answer.</summary>
    public static async Task<bool> PollAsync(HttpClient http, string authReqId, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(
        [
            new("grant_type", "urn:openid:params:grant-type:ciba"),
            new("auth_req_id", authReqId),
        ]);
        using var response = await http.PostAsync("/t/demo/oauth2/token", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.BadRequest
            && (body.Contains("authorization_pending", StringComparison.Ordinal) || body.Contains("slow_down", StringComparison.Ordinal));
    }

    private static FormUrlEncodedContent BackchannelForm(BenchOptions options) => new(
    [
        new("scope", "openid profile"),
        new("login_hint", options.NextLoginHint()),
        new("binding_message", "1234"),
        new("notification_channel", "external"),
    ]);
}

internal static class Load
{
    public static async Task<LoadResult> RunAsync(BenchOptions options, Func<CancellationToken, Task<bool>> request)
    {
        await RunPhaseAsync(options.Concurrency, options.Warmup, request, record: false);
        var serverBefore = CpuTime.OfProcess(options.ServerPid);
        var postgresBefore = CpuTime.OfProcessesNamed("postgres");
        var result = await RunPhaseAsync(options.Concurrency, options.Duration, request, record: true);
        return result with
        {
            ServerCpu = CpuTime.OfProcess(options.ServerPid) - serverBefore,
            PostgresCpu = CpuTime.OfProcessesNamed("postgres") - postgresBefore,
        };
    }

    private static async Task<LoadResult> RunPhaseAsync(int concurrency, TimeSpan duration, Func<CancellationToken, Task<bool>> request, bool record)
    {
        using var stop = new CancellationTokenSource(duration);
        var workers = new Task<WorkerResult>[concurrency];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < concurrency; i++)
        {
            workers[i] = Task.Run(async () =>
            {
                var latencies = new List<long>(record ? 200_000 : 0);
                var errors = 0;
                while (!stop.IsCancellationRequested)
                {
                    var before = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        ok = await request(CancellationToken.None);
                    }
                    catch (HttpRequestException)
                    {
                        ok = false;
                    }

                    if (record)
                    {
                        latencies.Add(Stopwatch.GetTimestamp() - before);
                    }

                    if (!ok)
                    {
                        errors++;
                    }
                }

                return new WorkerResult(latencies, errors);
            });
        }

        var results = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = results.SelectMany(r => r.Latencies).Order().ToArray();
        return new LoadResult(all, results.Sum(r => r.Errors), elapsed);
    }

    private sealed record WorkerResult(List<long> Latencies, int Errors);
}

internal sealed record LoadResult(long[] SortedLatencyTicks, int Errors, TimeSpan Elapsed)
{
    /// <summary>CPU the server used during the measured phase (user + system).</summary>
    public TimeSpan ServerCpu { get; init; }

    /// <summary>CPU every PostgreSQL process on the machine used during the measured phase.</summary>
    public TimeSpan PostgresCpu { get; init; }

    public void Print(string scenario, BenchOptions options)
    {
        double Percentile(double p) => SortedLatencyTicks.Length == 0
            ? 0
            : SortedLatencyTicks[Math.Min(SortedLatencyTicks.Length - 1, (int)(p * SortedLatencyTicks.Length))] * 1000.0 / Stopwatch.Frequency;
        var rss = options.ServerPid is { } pid ? PeakRssMegabytes(pid) : null;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scenario,-12} concurrency={options.Concurrency} seconds={Elapsed.TotalSeconds:F1} requests={SortedLatencyTicks.Length} " +
            $"errors={Errors} rps={SortedLatencyTicks.Length / Elapsed.TotalSeconds:F0} p50_ms={Percentile(0.50):F2} p99_ms={Percentile(0.99):F2} " +
            $"server_peak_rss_mb={(rss is null ? "n/a" : rss.Value.ToString("F0", CultureInfo.InvariantCulture))} " +
            $"server_cpu_us_per_req={PerRequest(ServerCpu):F0} postgres_cpu_us_per_req={PerRequest(PostgresCpu):F0}"));
    }

    private double PerRequest(TimeSpan cpu) => SortedLatencyTicks.Length == 0 ? 0 : cpu.TotalMicroseconds / SortedLatencyTicks.Length;

    private static double? PeakRssMegabytes(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}

/// <summary>CPU time from /proc: independent of what else the machine runs, unlike requests/s.</summary>
internal static class CpuTime
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux

    public static TimeSpan OfProcess(int? pid) => pid is { } id ? Read(id) : TimeSpan.Zero;

    public static TimeSpan OfProcessesNamed(string name)
    {
        var total = TimeSpan.Zero;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadComm(pid) == name)
            {
                total += Read(pid);
            }
        }

        return total;
    }

    private static string? ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static TimeSpan Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }
}
