using System.Net;
using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Security;
using Ciba.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ciba.Web.Tests.Protocol;

/// <summary>The app over a pool of one PostgreSQL connection: whatever a bad request does to it, the next request uses it.</summary>
public sealed class SingleConnectionFactory : CibaWebFactory
{
    protected override bool DispatcherEnabled => false;

    /// <summary>
    /// A first host migrates, seeds and creates the keys on an ordinary pool (creating a signing key
    /// holds a connection while Data Protection opens another); this one then starts over the result.
    /// </summary>
    public override async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("pool");
        await using (var setup = new WebApplicationFactory<Program>().WithWebHostBuilder(
            builder => builder.UseCibaTestSettings(ConnectionString, PublicOrigin, Time, dispatcherEnabled: false)))
        {
            _ = setup.Server;
        }

        _ = Server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        builder.UseCibaTestSettings(connectionString, PublicOrigin, Time, DispatcherEnabled);
    }
}

/// <summary>
/// Issue 9 item 3: a failed statement never poisons a pooled connection (npgsql/npgsql#6391;
/// ADR 0020). Two bad requests, then a good one, on a pool of one connection.
/// </summary>
public sealed class PooledConnectionTests(SingleConnectionFactory factory) : IClassFixture<SingleConnectionFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task TwoNulRequestsThenAGoodOne_OnOneConnection_TheGoodOneSucceeds()
    {
        using var nulClientId = await _client.BackchannelAsync(ProtocolClient.SeedRequest(), "demo\0-tv", "x");
        using var nulLoginHint = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["login_hint"] = "ad\0min" });

        using var good = await _client.BackchannelAsync(ProtocolClient.SeedRequest());

        await ProtocolClient.AssertOAuthErrorAsync(nulClientId, HttpStatusCode.Unauthorized, "invalid_client");
        await ProtocolClient.AssertOAuthErrorAsync(nulLoginHint, HttpStatusCode.BadRequest, "invalid_request");
        await ProtocolClient.AssertOkAsync(good);
    }

    [Fact]
    public async Task TwoStatementsThatFailInPostgreSql_ThenRequests_OnOneConnection_AllSucceed()
    {
        // The edge keeps NUL away from PostgreSQL; this sends it anyway, through the app's own data
        // source, twice for each of two statement shapes (with auto-preparation, the second run of a
        // statement is the one that gets prepared, and its failure is what broke the connection).
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<PostgresException>(() => QueryClientAsync("demo\0-tv"));
            await Assert.ThrowsAsync<PostgresException>(() => QueryUserAsync("ad\0min"));
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.True(await QueryClientAsync("demo-tv"));
            Assert.True(await QueryUserAsync("admin"));
            using var good = await _client.BackchannelAsync(ProtocolClient.SeedRequest());
            await ProtocolClient.AssertOkAsync(good);
            using var poll = await _client.PollAsync("unknown");
            await ProtocolClient.AssertOAuthErrorAsync(poll, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    /// <summary>
    /// ADR 0033: the poll's statement is prepared explicitly on the connection. An execution of it that
    /// fails (here: cancelled while it waits for a row lock another session holds) leaves the one
    /// connection usable and the statement still prepared.
    /// </summary>
    [Fact]
    public async Task PreparedPoll_CancelledWhileItWaitsForALock_TheNextPollsOnTheConnectionAnswer()
    {
        var (authReqId, _) = await _client.StartExternalAsync(loginHint: "alice");
        using (var first = await _client.PollAsync(authReqId))
        {
            await ProtocolClient.AssertOAuthErrorAsync(first, HttpStatusCode.BadRequest, "authorization_pending");
        }

        Assert.Contains(await PreparedStatementsAsync(), s => s.Contains("\"AuthReqIdHash\" = $2", StringComparison.Ordinal));
        var hash = SecretHashing.HashToken(authReqId);
        var applicationId = await ApplicationIdAsync("demo-tv");

        await using (var holder = new NpgsqlConnection(factory.ConnectionString))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var lockRow = new NpgsqlCommand("""SELECT 1 FROM "BackchannelRequests" WHERE "AuthReqIdHash" = $1 FOR UPDATE""", holder, transaction))
            {
                lockRow.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
                Assert.Equal(1, await lockRow.ExecuteScalarAsync());
            }

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IBackchannelGrantStore>()
                    .TryPollPendingAsync(applicationId, hash, factory.Time.GetUtcNow(), cancel.Token);
            });
            await transaction.RollbackAsync();
        }

        for (var i = 0; i < 3; i++)
        {
            using var poll = await _client.PollAsync(authReqId);
            Assert.Equal(HttpStatusCode.BadRequest, poll.StatusCode);
            using var json = await ProtocolClient.ReadJsonAsync(poll);
            Assert.Contains(json.RootElement.GetProperty("error").GetString(), new[] { "authorization_pending", "slow_down" });
        }

        Assert.Contains(await PreparedStatementsAsync(), s => s.Contains("\"AuthReqIdHash\" = $2", StringComparison.Ordinal));
    }

    /// <summary>
    /// ADR 0033: the backchannel request's lookup is prepared explicitly. An execution of it that fails
    /// (cancelled while a table lock blocks it) leaves the one connection usable.
    /// </summary>
    [Fact]
    public async Task PreparedInitiationLookup_CancelledWhileBlocked_TheNextRequestOnTheConnectionSucceeds()
    {
        _ = await _client.StartExternalAsync(loginHint: "alice");
        Assert.Contains(await PreparedStatementsAsync(), s => s.Contains("LIMIT 2", StringComparison.Ordinal));
        var organization = await OrganizationIdAsync();

        await using (var holder = new NpgsqlConnection(factory.ConnectionString))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("""LOCK TABLE "AspNetUsers" IN ACCESS EXCLUSIVE MODE""", holder, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IBackchannelInitiationStore>()
                    .FindAsync(organization, "demo-tv", "alice", cancel.Token);
            });
            await transaction.RollbackAsync();
        }

        var (authReqId, _) = await _client.StartExternalAsync(loginHint: "alice");
        using var poll = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOAuthErrorAsync(poll, HttpStatusCode.BadRequest, "authorization_pending");
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The statements prepared on the app's one pooled connection.</summary>
    private async Task<List<string>> PreparedStatementsAsync()
    {
        var dataSource = factory.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT statement FROM pg_prepared_statements", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var statements = new List<string>();
        while (await reader.ReadAsync())
        {
            statements.Add(reader.GetString(0));
        }

        return statements;
    }

    private async Task<Guid> ApplicationIdAsync(string clientId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        return await db.Applications.Where(a => a.ClientId == clientId).Select(a => a.Id).SingleAsync();
    }

    private async Task<Guid> OrganizationIdAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var organization = await scope.ServiceProvider.GetRequiredService<IOrganizationLookup>().FindByHandleAsync("demo", CancellationToken.None);
        return organization!.Id;
    }

    private async Task<bool> QueryClientAsync(string clientId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        return await db.Applications.AsNoTracking().AnyAsync(a => a.ClientId == clientId);
    }

    private async Task<bool> QueryUserAsync(string userName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var organization = await scope.ServiceProvider.GetRequiredService<IOrganizationLookup>().FindByHandleAsync("demo", CancellationToken.None);
        var user = await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindByLoginHintAsync(organization!.Id, userName, CancellationToken.None);
        return user is not null;
    }
}
