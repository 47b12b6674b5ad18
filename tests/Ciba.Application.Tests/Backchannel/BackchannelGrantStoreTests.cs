using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ciba.Application.Tests.Backchannel;

public class BackchannelGrantStoreTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private static readonly byte[] Hash = SecretHashing.HashToken("auth-req-id");

    private Organization _organization = null!;
    private ClientApplication _kiosk = null!;
    private ClientApplication _tv = null!;
    private BackchannelAuthenticationRequest _request = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        var now = fixture.Time.GetUtcNow();
        _organization = Organization.Create("acme", "Acme", now);
        _kiosk = ClientApplication.Create(_organization.Id, "Kiosk", "kiosk", SecretHashing.HashClientSecret("s"), [GrantTypes.Ciba], CibaSettings.Default, now);
        _tv = ClientApplication.Create(_organization.Id, "TV", "tv", SecretHashing.HashClientSecret("s"), [GrantTypes.Ciba], CibaSettings.Default, now);
        await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.Organizations.Add(_organization);
            db.Applications.AddRange(_kiosk, _tv);
            return await db.SaveChangesAsync();
        });
        var user = new CibaUser { OrganizationId = _organization.Id, UserName = "alice", Email = "alice@acme.test" };
        await fixture.InScopeAsync(sp => sp.GetRequiredService<UserManager<CibaUser>>().CreateAsync(user, "Correct-Horse-9"), _organization.Id);
        _request = BackchannelAuthenticationRequest.Create(
            _organization.Id, _kiosk.Id, user.Id, Hash, SecretHashing.HashToken("link"), "openid", null, NotificationChannels.External, 300, 5, now);
        await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.BackchannelRequests.Add(_request);
            return await db.SaveChangesAsync();
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Find_ReturnsTheClientAndItsRequest()
    {
        var (client, request) = await FindAsync("kiosk", Hash);

        Assert.Equal(_kiosk.Id, client?.Id);
        Assert.True(client!.AllowsCiba);
        Assert.Equal(_request.Id, request?.Id);
    }

    [Fact]
    public async Task Find_WithAnotherClientsRequest_ReturnsItForTheCallerToRefuse()
    {
        var (client, request) = await FindAsync("tv", Hash);

        Assert.Equal(_tv.Id, client?.Id);
        Assert.Equal(_kiosk.Id, request?.ApplicationId);
    }

    [Fact]
    public async Task Find_WithUnknownHash_ReturnsTheClientAlone()
    {
        var (client, request) = await FindAsync("kiosk", SecretHashing.HashToken("unknown"));

        Assert.Equal(_kiosk.Id, client?.Id);
        Assert.Null(request);
    }

    [Fact]
    public async Task Find_WithUnknownClientOrOrganization_ReturnsNothing()
    {
        Assert.Equal(new BackchannelGrantLookup(null, null), await FindAsync("nobody", Hash));
        Assert.Equal(new BackchannelGrantLookup(null, null), await fixture.InScopeAsync(sp => sp.GetRequiredService<IBackchannelGrantStore>().FindAsync(Guid.NewGuid(), "kiosk", Hash, default)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TrySavePoll_WritesThePollAndRefusesAStaleCopy(bool durable)
    {
        var later = fixture.Time.GetUtcNow().AddSeconds(1);
        await using var first = fixture.Services.CreateAsyncScope();
        await using var second = fixture.Services.CreateAsyncScope();
        var firstStore = first.ServiceProvider.GetRequiredService<IBackchannelGrantStore>();
        var secondStore = second.ServiceProvider.GetRequiredService<IBackchannelGrantStore>();
        var (_, winner) = await firstStore.FindAsync(_organization.Id, "kiosk", Hash, default);
        var (_, loser) = await secondStore.FindAsync(_organization.Id, "kiosk", Hash, default);

        Assert.Equal(PollOutcome.Pending, winner!.Poll(later));
        Assert.True(await firstStore.TrySavePollAsync(winner, durable, default));
        Assert.Equal(PollOutcome.Pending, loser!.Poll(later.AddSeconds(1)));
        Assert.False(await secondStore.TrySavePollAsync(loser, durable, default));

        await secondStore.ReloadAsync(loser, default);
        Assert.Equal(later, loser.LastPolledAt);
        Assert.Equal(PollOutcome.SlowDown, loser.Poll(later.AddSeconds(1)));
        Assert.True(await secondStore.TrySavePollAsync(loser, durable, default));
        var stored = await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().BackchannelRequests.AsNoTracking().SingleAsync());
        Assert.Equal(later.AddSeconds(1), stored.LastPolledAt);
        Assert.Equal(5 + BackchannelAuthenticationRequest.SlowDownIncrementSeconds, stored.IntervalSeconds);
    }

    [Fact]
    public async Task TryPollPending_IsOneStatement_PendingThenSlowDownThenPendingAfterTheInterval()
    {
        var now = fixture.Time.GetUtcNow();

        Assert.Equal(PollOutcome.Pending, await TryPollPendingAsync(_kiosk.Id, Hash, now));
        var first = await StoredAsync();
        Assert.Equal(now, first.LastPolledAt);
        Assert.Equal(5, first.IntervalSeconds);
        Assert.False(first.LastPollTooSoon);

        // 4.1 s after the last poll: within the 1 s tolerance of a 5 s interval (MinimumPollGap).
        Assert.Equal(PollOutcome.Pending, await TryPollPendingAsync(_kiosk.Id, Hash, now.AddSeconds(4.1)));

        // 3.9 s later is too soon: slow_down, and the interval grows by 5 s.
        Assert.Equal(PollOutcome.SlowDown, await TryPollPendingAsync(_kiosk.Id, Hash, now.AddSeconds(8)));
        var slowed = await StoredAsync();
        Assert.Equal(now.AddSeconds(8), slowed.LastPolledAt);
        Assert.Equal(5 + BackchannelAuthenticationRequest.SlowDownIncrementSeconds, slowed.IntervalSeconds);
        Assert.True(slowed.LastPollTooSoon);

        Assert.Equal(PollOutcome.Pending, await TryPollPendingAsync(_kiosk.Id, Hash, now.AddSeconds(18)));
        var after = await StoredAsync();
        Assert.Equal(10, after.IntervalSeconds);
        Assert.False(after.LastPollTooSoon);
    }

    [Fact]
    public async Task TryPollPending_LeavesEveryOtherRequestAlone()
    {
        var now = fixture.Time.GetUtcNow();

        // Another client's request, an unknown hash, an expired request: nothing answered, nothing written.
        Assert.Null(await TryPollPendingAsync(_tv.Id, Hash, now));
        Assert.Null(await TryPollPendingAsync(_kiosk.Id, SecretHashing.HashToken("unknown"), now));
        Assert.Null(await TryPollPendingAsync(_kiosk.Id, Hash, now.AddSeconds(300)));
        Assert.Null((await StoredAsync()).LastPolledAt);

        // A locked person's request is left for the full path, which answers access_denied.
        await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().Users
            .Where(u => u.Id == _request.UserId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, now.AddHours(1))));
        Assert.Null(await TryPollPendingAsync(_kiosk.Id, Hash, now));
        Assert.Null((await StoredAsync()).LastPolledAt);
    }

    [Fact]
    public async Task TryPollPending_ConcurrentPolls_OneIsPendingTheOthersSlowDown()
    {
        var now = fixture.Time.GetUtcNow();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TryPollPendingAsync(_kiosk.Id, Hash, now)));

        Assert.Single(outcomes, o => o == PollOutcome.Pending);
        Assert.Equal(3, outcomes.Count(o => o == PollOutcome.SlowDown));
        Assert.Equal(5 + (3 * BackchannelAuthenticationRequest.SlowDownIncrementSeconds), (await StoredAsync()).IntervalSeconds);
    }

    [Fact]
    public async Task TrySavePoll_TwiceInOneScope_UsesTheNewRowVersion()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IBackchannelGrantStore>();
        var (_, request) = await store.FindAsync(_organization.Id, "kiosk", Hash, default);

        request!.Poll(fixture.Time.GetUtcNow());
        Assert.True(await store.TrySavePollAsync(request, durable: false, default));
        request.Poll(fixture.Time.GetUtcNow());
        Assert.True(await store.TrySavePollAsync(request, durable: true, default));
    }

    [Fact]
    public async Task TrySavePoll_NonDurable_LeavesSynchronousCommitAsItWasForTheNextUserOfTheConnection()
    {
        var dataSource = fixture.Services.GetRequiredService<NpgsqlDataSource>();
        var before = await SynchronousCommitAsync(dataSource);
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IBackchannelGrantStore>();
            var (_, request) = await store.FindAsync(_organization.Id, "kiosk", Hash, default);
            request!.Poll(fixture.Time.GetUtcNow());
            Assert.True(await store.TrySavePollAsync(request, durable: false, default));
        }

        Assert.Equal(before, await SynchronousCommitAsync(dataSource));
    }

    [Fact]
    public async Task NpgsqlBatch_IsOneTransaction_SoALocalSettingHoldsForItsLaterStatementsOnly()
    {
        var dataSource = fixture.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT current_setting('synchronous_commit')"));
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            await reader.NextResultAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("off", reader.GetString(0));
        }

        await using var command = new NpgsqlCommand("SELECT current_setting('synchronous_commit') = reset_val FROM pg_settings WHERE name = 'synchronous_commit'", connection);
        Assert.Equal(true, await command.ExecuteScalarAsync());
    }

    private static async Task<object?> SynchronousCommitAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SHOW synchronous_commit", connection);
        return await command.ExecuteScalarAsync();
    }

    private Task<PollOutcome?> TryPollPendingAsync(Guid applicationId, byte[] hash, DateTimeOffset now) =>
        fixture.InScopeAsync(sp => sp.GetRequiredService<IBackchannelGrantStore>().TryPollPendingAsync(applicationId, hash, now, default));

    private Task<BackchannelAuthenticationRequest> StoredAsync() =>
        fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().BackchannelRequests.AsNoTracking().SingleAsync(r => r.Id == _request.Id));

    private Task<BackchannelGrantLookup> FindAsync(string clientId, byte[] hash) =>
        fixture.InScopeAsync(sp => sp.GetRequiredService<IBackchannelGrantStore>().FindAsync(_organization.Id, clientId, hash, default));
}
