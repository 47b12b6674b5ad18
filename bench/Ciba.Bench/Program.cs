using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

// Ciba's load tool: drives one or more running instances for a fixed time at a given concurrency and
// reports requests/s, p50, p99, the servers' peak RSS and their and PostgreSQL's CPU per request.
// See docs/benchmarks.md.
var options = BenchOptions.Parse(args);
var nodes = options.BaseUrls.Select(url => new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Concurrency,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    AllowAutoRedirect = false,
}).Select((handler, i) => new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri(options.BaseUrls[i]), Timeout = TimeSpan.FromSeconds(30) }).ToArray();
var kiosk = Requests.Basic(options.ClientId, options.ClientSecret);
var tv = Requests.Basic(options.NotifyClientId, options.NotifyClientSecret);

// The load tool's connections are spread over the nodes: worker i talks to node i mod n.
HttpClient Node(int worker) => nodes[worker % nodes.Length];

string[] scenarios = options.Scenario == "all" ? ["backchannel", "notify", "poll", "redeem"] : [options.Scenario];
var failed = false;
foreach (var scenario in scenarios)
{
    var result = scenario switch
    {
        "backchannel" => await Load.RunAsync(options, (worker, ct) => Requests.BackchannelAsync(Node(worker), kiosk, options, external: true, ct)),
        "notify" => await RunNotifyAsync(),
        "poll" => await RunPollsAsync(),
        "redeem" => await RunRedeemsAsync(),
        "floor" => await Load.RunAsync(options, (worker, ct) => Requests.LivenessAsync(Node(worker), ct)),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}'. Use backchannel, notify, poll, redeem, floor or all."),
    };
    result.Print(scenario, options);
    failed |= result.Aborted is not null;
}

foreach (var node in nodes)
{
    node.Dispose();
}

return failed ? 1 : 0;

// A backchannel request as demo-tv without notification_channel: the application's channels
// (Email, SMS, External) decide, and a synthetic user with a verified email and a mobile is
// reached by Email + SMS: two outbox rows, sent by the dispatcher through the development inboxes.
async Task<LoadResult> RunNotifyAsync()
{
    if (options.Database is null)
    {
        return await Load.RunAsync(options, (worker, ct) => Requests.BackchannelAsync(Node(worker), tv, options, external: false, ct));
    }

    // The dispatcher sends after the response, and may fall behind: the warm-up's messages are sent
    // before the window opens, and the CPU is read again once the window's messages are all sent,
    // so what each request costs to send counts, and nothing else's.
    var outbox = new Outbox(options.Database);
    return await Load.RunAsync(
        options,
        (worker, ct) => Requests.BackchannelAsync(Node(worker), tv, options, external: false, ct),
        betweenPhases: _ => outbox.MarkStartAsync(TimeSpan.FromSeconds(120)),
        settle: () => outbox.DrainAsync(TimeSpan.FromSeconds(120)));
}

async Task<LoadResult> RunPollsAsync()
{
    var ids = new string[options.PendingRequests];
    for (var i = 0; i < ids.Length; i++)
    {
        ids[i] = await Requests.CreateAuthRequestAsync(nodes[0], kiosk, options, CancellationToken.None);
    }

    var next = -1;
    return await Load.RunAsync(options, (worker, ct) =>
    {
        var index = (int)((uint)Interlocked.Increment(ref next) % (uint)ids.Length);
        return Requests.PollAsync(Node(worker), kiosk, options, ids[index], ct);
    });
}

// Each measured request redeems an approved auth request once. The approved requests are written
// before each phase (RedeemPool): copies of one request made over HTTP, approved as the consent
// page leaves them. The warm-up refills as it goes; the measured window uses what was prepared for
// it (the warm-up's rate × seconds × --redeem-factor) and stops with an error if that runs out.
async Task<LoadResult> RunRedeemsAsync()
{
    if (options.Database is null)
    {
        throw new ArgumentException("The redeem scenario writes approved requests to the database: pass --db \"Host=…;Database=…\" (bench/run.sh does).");
    }

    var template = await Requests.CreateAuthRequestAsync(nodes[0], kiosk, options, CancellationToken.None);
    using var pool = new RedeemPool(options.Database, template, refill: Math.Max(2_000, options.Concurrency * 100));
    await pool.PrepareAsync(Math.Max(2_000, options.Concurrency * 100), options.Duration + options.Warmup);
    using var exhausted = new CancellationTokenSource();
    return await Load.RunAsync(
        options,
        async (worker, ct) =>
        {
            var authReqId = await pool.TakeAsync();
            if (authReqId is null)
            {
                await exhausted.CancelAsync();
                return "no approved request left";
            }

            return await Requests.RedeemAsync(Node(worker), kiosk, options, authReqId, ct);
        },
        betweenPhases: async warmup =>
        {
            var needed = (int)Math.Ceiling(warmup.Rate * options.Duration.TotalSeconds * options.RedeemFactor) + options.Concurrency * 2;
            await pool.StartMeasuredAsync(Math.Max(needed, 1_000), options.Duration);
        },
        endEarly: exhausted.Token,
        whenEndedEarly: () => $"the {pool.Prepared} approved requests prepared for the measured window ran out; raise --redeem-factor (now {options.RedeemFactor.ToString(CultureInfo.InvariantCulture)})");
}

internal sealed record BenchOptions(
    string[] BaseUrls, string Organization, string ClientId, string ClientSecret, string NotifyClientId, string NotifyClientSecret, string LoginHint,
    string Scenario, int Concurrency, TimeSpan Duration, TimeSpan Warmup, int PendingRequests, int[] ServerPids, int Users,
    string? Database, int? PostgresPid, double RedeemFactor)
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
        static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new BenchOptions(
            List(Get("url", "http://127.0.0.1:5080")),
            Get("org", "demo"),
            Get("client-id", "demo-kiosk"),
            Get("client-secret", "demo-kiosk-secret"),
            Get("notify-client-id", "demo-tv"),
            Get("notify-client-secret", "demo-tv-secret"),
            Get("login-hint", "alice"),
            Get("scenario", "all"),
            GetInt("concurrency", 32),
            TimeSpan.FromSeconds(GetInt("seconds", 20)),
            TimeSpan.FromSeconds(GetInt("warmup", 5)),
            GetInt("pending", 200),
            values.TryGetValue("server-pid", out var pids) ? [.. List(pids).Select(p => int.Parse(p, CultureInfo.InvariantCulture))] : [],
            GetInt("users", 0),
            values.TryGetValue("db", out var db) ? db : null,
            values.TryGetValue("postgres-pid", out var postmaster) ? int.Parse(postmaster, CultureInfo.InvariantCulture) : null,
            double.Parse(Get("redeem-factor", "2"), CultureInfo.InvariantCulture));
    }
}

internal static class Requests
{
    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));

    /// <summary>A backchannel request: success is 200.</summary>
    public static async Task<string?> BackchannelAsync(
        HttpClient http, AuthenticationHeaderValue client, BenchOptions options, bool external, CancellationToken cancellationToken)
    {
        using var request = Post($"/t/{options.Organization}/oauth2/ciba", client, BackchannelForm(options, external));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? null : Failure(response, body);
    }

    public static async Task<string> CreateAuthRequestAsync(HttpClient http, AuthenticationHeaderValue client, BenchOptions options, CancellationToken cancellationToken)
    {
        using var request = Post($"/t/{options.Organization}/oauth2/ciba", client, BackchannelForm(options, external: true));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Backchannel request failed: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("auth_req_id").GetString()!;
    }

    /// <summary>
    /// The floor: <c>GET /healthz</c> runs the whole middleware pipeline and touches no database,
    /// so its CPU is what any HTTP request costs here (Kestrel, the pipeline, the kernel's sockets).
    /// </summary>
    public static async Task<string?> LivenessAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? null : Failure(response, body);
    }

    /// <summary>A poll of a pending request: 400 authorization_pending or slow_down is the expected answer.</summary>
    public static async Task<string?> PollAsync(HttpClient http, AuthenticationHeaderValue client, BenchOptions options, string authReqId, CancellationToken cancellationToken)
    {
        using var request = Post($"/t/{options.Organization}/oauth2/token", client, TokenForm(authReqId));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.BadRequest
            && (body.Contains("\"authorization_pending\"", StringComparison.Ordinal) || body.Contains("\"slow_down\"", StringComparison.Ordinal))
            ? null
            : Failure(response, body);
    }

    /// <summary>A poll of an approved request: 200 with an access token is the expected answer.</summary>
    public static async Task<string?> RedeemAsync(HttpClient http, AuthenticationHeaderValue client, BenchOptions options, string authReqId, CancellationToken cancellationToken)
    {
        using var request = Post($"/t/{options.Organization}/oauth2/token", client, TokenForm(authReqId));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK && body.Contains("\"access_token\"", StringComparison.Ordinal) ? null : Failure(response, body);
    }

    /// <summary>What went wrong, short enough to count: the status and the OAuth error code.</summary>
    private static string Failure(HttpResponseMessage response, string body)
    {
        var code = "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error))
            {
                code = " " + error.GetString();
            }
        }
        catch (JsonException)
        {
        }

        return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + code;
    }

    private static HttpRequestMessage Post(string path, AuthenticationHeaderValue client, HttpContent content) =>
        new(HttpMethod.Post, path) { Content = content, Headers = { Authorization = client } };

    private static FormUrlEncodedContent TokenForm(string authReqId) => new(
    [
        new("grant_type", "urn:openid:params:grant-type:ciba"),
        new("auth_req_id", authReqId),
    ]);

    private static FormUrlEncodedContent BackchannelForm(BenchOptions options, bool external) => new(
        external
            ?
            [
                new("scope", "openid profile"),
                new("login_hint", options.NextLoginHint()),
                new("binding_message", "1234"),
                new("notification_channel", "external"),
            ]
            :
            [
                new("scope", "openid profile"),
                new("login_hint", options.NextLoginHint()),
                new("binding_message", "1234"),
            ]);
}

/// <summary>
/// Approved auth requests for the redeem scenario, written with SQL: copies of one request the
/// server created (so every column is as the backchannel path writes it), each with its own
/// <c>auth_req_id</c> (its SHA-256 is what the server keeps), link key and synthetic user (round
/// robin over user00001…, or the template's person without them), then approved as the consent
/// page leaves a request a person approved after a password sign-in: Status approved, ViewedAt,
/// DecidedAt and AuthenticatedAt now, Acr <c>urn:ciba:acr:pwd</c>, Amr <c>pwd</c>; never polled
/// (LastPolledAt null, so the first poll is not <c>slow_down</c>), not expired within the run.
/// </summary>
internal sealed class RedeemPool(string connectionString, string templateAuthReqId, int refill) : IDisposable
{
    // One batch, one implicit transaction: the copies, made unique and approved, then inserted.
    private static readonly string[] Clone =
    [
        """CREATE TEMP TABLE bench_approved AS SELECT b.*, 0 AS bench_n FROM "BackchannelRequests" AS b WITH NO DATA""",
        """
        INSERT INTO bench_approved SELECT b.*, g FROM "BackchannelRequests" AS b, generate_series($2::int, $3::int) AS g
        WHERE b."AuthReqIdHash" = sha256(convert_to($1, 'UTF8'))
        """,
        """
        WITH people AS (
            SELECT array_agg(u."Id" ORDER BY u."UserName") AS ids FROM "AspNetUsers" AS u
            WHERE u."OrganizationId" = (SELECT "OrganizationId" FROM bench_approved LIMIT 1) AND u."UserName" ~ '^user[0-9]+$')
        UPDATE bench_approved AS c SET
            "Id" = gen_random_uuid(),
            "AuthReqIdHash" = sha256(convert_to($1 || c.bench_n, 'UTF8')),
            "LinkKeyHash" = sha256(convert_to('link-' || $1 || c.bench_n, 'UTF8')),
            "UserId" = COALESCE(p.ids[1 + c.bench_n % cardinality(p.ids)], c."UserId"),
            "CreatedAt" = $2, "ExpiresAt" = $3, "ViewedAt" = $2, "DecidedAt" = $2, "AuthenticatedAt" = $2,
            "Status" = 1, "Acr" = 'urn:ciba:acr:pwd', "Amr" = 'pwd', "LastPolledAt" = NULL, "RedeemedAt" = NULL
        FROM people AS p
        """,
        "ALTER TABLE bench_approved DROP COLUMN bench_n",
        """INSERT INTO "BackchannelRequests" SELECT * FROM bench_approved""",
        "DROP TABLE bench_approved",
        "ANALYZE \"BackchannelRequests\"",
    ];

    private readonly string _prefix = "bench-redeem-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..6]) + "-";
    private readonly SemaphoreSlim _refilling = new(1, 1);
    private ConcurrentQueue<string> _ready = new();
    private int _written;
    private volatile bool _measured;
    private TimeSpan _lifetime;

    public void Dispose() => _refilling.Dispose();

    /// <summary>How many were prepared for the measured window.</summary>
    public int Prepared { get; private set; }

    /// <summary>Writes <paramref name="count"/> approved requests that stay valid for <paramref name="lifetime"/> and more.</summary>
    public async Task PrepareAsync(int count, TimeSpan lifetime)
    {
        _lifetime = lifetime;
        var first = _written + 1;
        var last = _written + count;
        var now = DateTimeOffset.UtcNow;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var batch = new NpgsqlBatch(connection))
        {
            foreach (var sql in Clone)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
            }

            var copy = batch.BatchCommands[1].Parameters;
            copy.Add(new NpgsqlParameter<string> { TypedValue = templateAuthReqId });
            copy.Add(new NpgsqlParameter<int> { TypedValue = first });
            copy.Add(new NpgsqlParameter<int> { TypedValue = last });
            var approve = batch.BatchCommands[2].Parameters;
            approve.Add(new NpgsqlParameter<string> { TypedValue = _prefix });
            approve.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            approve.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now + lifetime + TimeSpan.FromMinutes(2) });
            await batch.ExecuteNonQueryAsync();
        }

        await using (var check = new NpgsqlCommand("""SELECT count(*) FROM "BackchannelRequests" WHERE "AuthReqIdHash" = sha256(convert_to($1, 'UTF8')) AND "Status" = 1""", connection))
        {
            check.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _prefix + last.ToString(CultureInfo.InvariantCulture) });
            if ((long)(await check.ExecuteScalarAsync())! != 1)
            {
                throw new InvalidOperationException("The approved requests for the redeem scenario were not written (was the template request found?).");
            }
        }

        _written = last;
        for (var n = first; n <= last; n++)
        {
            _ready.Enqueue(_prefix + n.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Leaves the warm-up's remainder unused and prepares exactly what the measured window may use.</summary>
    public async Task StartMeasuredAsync(int count, TimeSpan window)
    {
        await _refilling.WaitAsync();
        try
        {
            _ready = new ConcurrentQueue<string>();
            await PrepareAsync(count, window);
            Prepared = count;
            _measured = true;
        }
        finally
        {
            _refilling.Release();
        }
    }

    /// <summary>The next unused approved request; in the warm-up more are written when they run out, in the measured window null.</summary>
    public async ValueTask<string?> TakeAsync()
    {
        while (true)
        {
            if (_ready.TryDequeue(out var id))
            {
                return id;
            }

            if (_measured)
            {
                return null;
            }

            await _refilling.WaitAsync();
            try
            {
                if (_ready.IsEmpty && !_measured)
                {
                    await PrepareAsync(refill, _lifetime);
                }
            }
            finally
            {
                _refilling.Release();
            }
        }
    }
}

/// <summary>The outbox after the notify scenario: what the dispatcher still had to send, and how long it took.</summary>
internal sealed class Outbox(string connectionString)
{
    private long _sentAtStart;
    private TimeSpan _drainedBefore;

    /// <summary>Waits until the warm-up's messages are sent, then notes the count.</summary>
    public async Task MarkStartAsync(TimeSpan limit)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var started = Stopwatch.GetTimestamp();
        var (_, sent, _, _) = await WaitAsync(connection, limit);
        _drainedBefore = Stopwatch.GetElapsedTime(started);
        _sentAtStart = sent;
    }

    /// <summary>Waits until the window's messages are sent; describes the dispatcher's backlog.</summary>
    public async Task<string> DrainAsync(TimeSpan limit)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var started = Stopwatch.GetTimestamp();
        var atEnd = await CountAsync(connection);
        var now = await WaitAsync(connection, limit);
        var after = Stopwatch.GetElapsedTime(started);
        return string.Create(CultureInfo.InvariantCulture,
            $"outbox: {atEnd.Sent - _sentAtStart} messages sent in the window, {atEnd.Pending} waiting at its end, ") +
            (now.Pending == 0
                ? string.Create(CultureInfo.InvariantCulture, $"sent {after.TotalSeconds:F1} s after it; ")
                : string.Create(CultureInfo.InvariantCulture, $"NOT sent {after.TotalSeconds:F0} s after it ({now.Pending} still waiting); ")) +
            string.Create(CultureInfo.InvariantCulture, $"failed={now.Failed} skipped={now.Skipped}; the warm-up's were sent {_drainedBefore.TotalSeconds:F1} s after it");
    }

    // Polls four times a second with a count the partial index of waiting messages answers, so the
    // waiting costs PostgreSQL next to nothing; the full counts only before and after.
    private static async Task<(long Pending, long Sent, long Failed, long Skipped)> WaitAsync(NpgsqlConnection connection, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        await using var pending = new NpgsqlCommand("""SELECT count(*) FROM "OutgoingMessages" WHERE "Status" = 0""", connection);
        while ((long)(await pending.ExecuteScalarAsync())! > 0 && Stopwatch.GetElapsedTime(started) < limit)
        {
            await Task.Delay(250);
        }

        return await CountAsync(connection);
    }

    private static async Task<(long Pending, long Sent, long Failed, long Skipped)> CountAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE "Status" = 0), count(*) FILTER (WHERE "Status" = 1),
                   count(*) FILTER (WHERE "Status" = 2), count(*) FILTER (WHERE "Status" = 3)
            FROM "OutgoingMessages"
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }
}

internal static class Load
{
    /// <summary>
    /// The warm-up, then the measured window. <paramref name="request"/> gets the worker's number
    /// and answers null on success or a short description of the failure.
    /// </summary>
    public static async Task<LoadResult> RunAsync(
        BenchOptions options,
        Func<int, CancellationToken, Task<string?>> request,
        Func<LoadResult, Task>? betweenPhases = null,
        Func<string>? whenEndedEarly = null,
        Func<Task<string>>? settle = null,
        CancellationToken endEarly = default)
    {
        var warmup = await RunPhaseAsync(options.Concurrency, options.Warmup, request, record: false, CancellationToken.None);
        if (betweenPhases is not null)
        {
            await betweenPhases(warmup);
        }

        var serverBefore = CpuTime.OfProcesses(options.ServerPids);
        var postgresBefore = CpuTime.OfPostgres(options.PostgresPid);
        var breakdownBefore = CpuBreakdown.Read(options.ServerPids, options.PostgresPid);
        var result = await RunPhaseAsync(options.Concurrency, options.Duration, request, record: true, endEarly);
        if (settle is not null)
        {
            // The CPU of the window alone, then the work it left behind is awaited and counted too.
            result = result with
            {
                WindowServerCpu = CpuTime.OfProcesses(options.ServerPids) - serverBefore,
                WindowPostgresCpu = CpuTime.OfPostgres(options.PostgresPid) - postgresBefore,
                Note = await settle(),
            };
        }

        return result with
        {
            ServerCpu = CpuTime.OfProcesses(options.ServerPids) - serverBefore,
            PostgresCpu = CpuTime.OfPostgres(options.PostgresPid) - postgresBefore,
            Breakdown = CpuBreakdown.Read(options.ServerPids, options.PostgresPid).Minus(breakdownBefore),
            Aborted = endEarly.IsCancellationRequested ? whenEndedEarly?.Invoke() : null,
        };
    }

    private static async Task<LoadResult> RunPhaseAsync(
        int concurrency, TimeSpan duration, Func<int, CancellationToken, Task<string?>> request, bool record, CancellationToken endEarly)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(endEarly);
        stop.CancelAfter(duration);
        var workers = new Task<WorkerResult>[concurrency];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < concurrency; i++)
        {
            var worker = i;
            workers[i] = Task.Run(async () =>
            {
                var latencies = new List<long>(record ? 200_000 : 0);
                var failures = new Dictionary<string, int>(StringComparer.Ordinal);
                var count = 0;
                while (!stop.IsCancellationRequested)
                {
                    var before = Stopwatch.GetTimestamp();
                    string? failure;
                    try
                    {
                        failure = await request(worker, CancellationToken.None);
                    }
                    catch (HttpRequestException e)
                    {
                        failure = "connection: " + e.HttpRequestError;
                    }
                    catch (TaskCanceledException)
                    {
                        failure = "timeout";
                    }

                    count++;
                    if (record)
                    {
                        latencies.Add(Stopwatch.GetTimestamp() - before);
                    }

                    if (failure is not null)
                    {
                        failures[failure] = failures.GetValueOrDefault(failure) + 1;
                    }
                }

                return new WorkerResult(latencies, failures, count);
            });
        }

        var results = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = results.SelectMany(r => r.Latencies).Order().ToArray();
        var failures = results.SelectMany(r => r.Failures).GroupBy(f => f.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(f => f.Value), StringComparer.Ordinal);
        return new LoadResult(all, failures, elapsed, results.Sum(r => r.Count));
    }

    private sealed record WorkerResult(List<long> Latencies, Dictionary<string, int> Failures, int Count);
}

internal sealed record LoadResult(long[] SortedLatencyTicks, Dictionary<string, int> Failures, TimeSpan Elapsed, int Count)
{
    /// <summary>CPU the servers used during the measured phase (user + system), all nodes together.</summary>
    public TimeSpan ServerCpu { get; init; }

    /// <summary>CPU PostgreSQL used during the measured phase (see <see cref="CpuTime.OfPostgres"/>).</summary>
    public TimeSpan PostgresCpu { get; init; }

    /// <summary>The same CPU split into user and kernel time, and PostgreSQL's by process role.</summary>
    public CpuBreakdown? Breakdown { get; init; }

    /// <summary>With work that outlasts the window (the outbox): the servers' CPU in the window alone.</summary>
    public TimeSpan? WindowServerCpu { get; init; }

    /// <summary>With work that outlasts the window: PostgreSQL's CPU in the window alone.</summary>
    public TimeSpan? WindowPostgresCpu { get; init; }

    /// <summary>Why the measured window ended before its time, if it did.</summary>
    public string? Aborted { get; init; }

    /// <summary>A line printed under the summary (the notify scenario's outbox).</summary>
    public string? Note { get; init; }

    public int Errors => Failures.Values.Sum();

    /// <summary>Requests answered per second in this phase.</summary>
    public double Rate => Count / Elapsed.TotalSeconds;

    public void Print(string scenario, BenchOptions options)
    {
        double Percentile(double p) => SortedLatencyTicks.Length == 0
            ? 0
            : SortedLatencyTicks[Math.Min(SortedLatencyTicks.Length - 1, (int)(p * SortedLatencyTicks.Length))] * 1000.0 / Stopwatch.Frequency;
        var rss = options.ServerPids.Select(PeakRssMegabytes).Where(r => r is not null).Max();
        var nodes = options.BaseUrls.Length > 1 ? " nodes=" + options.BaseUrls.Length.ToString(CultureInfo.InvariantCulture) : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scenario,-12} concurrency={options.Concurrency} seconds={Elapsed.TotalSeconds:F1} requests={SortedLatencyTicks.Length} " +
            $"errors={Errors} rps={SortedLatencyTicks.Length / Elapsed.TotalSeconds:F0} p50_ms={Percentile(0.50):F2} p99_ms={Percentile(0.99):F2} " +
            $"server_peak_rss_mb={(rss is null ? "n/a" : rss.Value.ToString("F0", CultureInfo.InvariantCulture))} " +
            $"server_cpu_us_per_req={PerRequest(ServerCpu):F0} postgres_cpu_us_per_req={PerRequest(PostgresCpu):F0}{nodes}"));
        if (Failures.Count > 0)
        {
            Console.WriteLine("  errors: " + string.Join(", ", Failures.OrderByDescending(f => f.Value).Take(6).Select(f => $"{f.Key} ×{f.Value}")));
        }

        if (Note is not null)
        {
            Console.WriteLine("  " + Note);
        }

        if (Breakdown is { } breakdown && SortedLatencyTicks.Length > 0)
        {
            Console.WriteLine("  cpu_us_per_req (user+kernel): " + breakdown.Describe(SortedLatencyTicks.Length));
        }

        if (WindowServerCpu is { } server && WindowPostgresCpu is { } postgres)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU above: the window and the sending of its messages after it; in the window alone server {PerRequest(server):F0} µs/req, PostgreSQL {PerRequest(postgres):F0} µs/req"));
        }

        if (Aborted is not null)
        {
            Console.Error.WriteLine($"error: {scenario}: {Aborted}");
        }
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

    public static TimeSpan OfProcesses(IEnumerable<int> pids) => pids.Aggregate(TimeSpan.Zero, (total, pid) => total + Read(pid, withReapedChildren: false));

    /// <summary>
    /// With the postmaster's pid: the postmaster, every process it started (backends, WAL writer,
    /// background writer, checkpointer, autovacuum) and those that ended (counted in the
    /// postmaster's children's time once reaped), so other PostgreSQL clusters on the machine do not
    /// count. Without it: every process named postgres.
    /// </summary>
    public static TimeSpan OfPostgres(int? postmaster)
    {
        var total = TimeSpan.Zero;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || ReadComm(pid) != "postgres")
            {
                continue;
            }

            if (postmaster is null)
            {
                total += Read(pid, withReapedChildren: false);
            }
            else if (pid == postmaster)
            {
                total += Read(pid, withReapedChildren: true);
            }
            else if (ParentOf(pid) == postmaster)
            {
                total += Read(pid, withReapedChildren: false);
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

    /// <summary>The fields of /proc/PID/stat after the command name, or null when the process is gone.</summary>
    public static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? ParentOf(int pid) => Fields(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : null;

    // Fields after the command: state, ppid, …, utime (11), stime (12), cutime (13), cstime (14).
    private static TimeSpan Read(int pid, bool withReapedChildren)
    {
        if (Fields(pid) is not { } fields)
        {
            return TimeSpan.Zero;
        }

        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (withReapedChildren)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}

/// <summary>
/// CPU by process role, user and kernel time apart: the server(s), and PostgreSQL's backends,
/// WAL writer, checkpointer, background writer, autovacuum and the postmaster with the processes
/// that ended (from <c>/proc/PID/cmdline</c>, which PostgreSQL sets to its role).
/// </summary>
internal sealed record CpuBreakdown(IReadOnlyDictionary<string, (long User, long Kernel)> Ticks)
{
    private static readonly string[] Order = ["server", "backends", "walwriter", "checkpointer", "bgwriter", "autovacuum", "postmaster+ended", "other"];

    public static CpuBreakdown Read(IEnumerable<int> serverPids, int? postmaster)
    {
        var ticks = new Dictionary<string, (long User, long Kernel)>(StringComparer.Ordinal);
        void Add(string role, long user, long kernel)
        {
            var (u, k) = ticks.GetValueOrDefault(role);
            ticks[role] = (u + user, k + kernel);
        }

        foreach (var pid in serverPids)
        {
            if (CpuTime.Fields(pid) is { } fields)
            {
                Add("server", Field(fields, 11), Field(fields, 12));
            }
        }

        if (postmaster is not null)
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || CpuTime.Fields(pid) is not { } fields)
                {
                    continue;
                }

                if (pid == postmaster)
                {
                    Add("postmaster+ended", Field(fields, 11) + Field(fields, 13), Field(fields, 12) + Field(fields, 14));
                }
                else if (Field(fields, 1) == postmaster)
                {
                    Add(Role(pid), Field(fields, 11), Field(fields, 12));
                }
            }
        }

        return new CpuBreakdown(ticks);
    }

    public CpuBreakdown Minus(CpuBreakdown before) => new(Ticks.ToDictionary(
        t => t.Key,
        t => (t.Value.User - before.Ticks.GetValueOrDefault(t.Key).User, t.Value.Kernel - before.Ticks.GetValueOrDefault(t.Key).Kernel),
        StringComparer.Ordinal));

    public string Describe(int requests)
    {
        string PerRequest(long ticks) => (ticks * 10_000.0 / requests).ToString("F0", CultureInfo.InvariantCulture); // 1 tick = 10 ms
        return string.Join(", ", Order.Where(Ticks.ContainsKey).Select(role => $"{role} {PerRequest(Ticks[role].User)}+{PerRequest(Ticks[role].Kernel)}"));
    }

    private static string Role(int pid)
    {
        string cmdline;
        try
        {
            cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "other";
        }

        return cmdline switch
        {
            _ when cmdline.Contains("walwriter", StringComparison.Ordinal) => "walwriter",
            _ when cmdline.Contains("checkpointer", StringComparison.Ordinal) => "checkpointer",
            _ when cmdline.Contains("background writer", StringComparison.Ordinal) => "bgwriter",
            _ when cmdline.Contains("autovacuum", StringComparison.Ordinal) => "autovacuum",
            _ when cmdline.Contains("postgres: postgres ", StringComparison.Ordinal) => "backends",
            _ => "other",
        };
    }

    private static long Field(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
}
