using Ciba.Application.Backchannel.Consent;
using Ciba.Application.Backchannel.Decide;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Infrastructure.Seeding;
using Ciba.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Application.Tests.Backchannel;

public class GetConsentQueryTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private Guid _organizationId;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _organizationId = await fixture.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<DemoDataSeeder>().SeedAsync(CancellationToken.None);
            return await sp.GetRequiredService<IApplicationDbContext>().Organizations.Where(o => o.Handle == "demo").Select(o => o.Id).SingleAsync();
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Handle_PendingRequest_ReturnsWhatThePageShows()
    {
        var key = await AuthRequests.CreatePendingAsync(fixture.Services, "alice", "1234", "openid email openid", expiresInSeconds: 120);
        fixture.Time.Advance(TimeSpan.FromSeconds(20));

        var result = await fixture.SendAsync(_organizationId, new GetConsentQuery(_organizationId, key));

        Assert.True(result.IsSuccess);
        var alice = await UserIdAsync("alice");
        Assert.Equal(new[] { "openid", "email" }, result.Value.Scopes);
        Assert.Equal("Demo TV", result.Value.ApplicationName);
        Assert.Equal("1234", result.Value.BindingMessage);
        Assert.Equal(TimeSpan.FromSeconds(100), result.Value.TimeLeft);
        Assert.Equal(alice, result.Value.UserId);
    }

    [Fact]
    public async Task Handle_KeyOfAnotherOrganization_ReturnsNotFound()
    {
        var key = await AuthRequests.CreatePendingAsync(fixture.Services, "alice");
        var other = Guid.NewGuid();

        var result = await fixture.SendAsync(other, new GetConsentQuery(other, key));

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    public async Task Handle_MissingOrUnknownKey_ReturnsNotFound(string? key)
    {
        var result = await fixture.SendAsync(_organizationId, new GetConsentQuery(_organizationId, key));

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
    }

    [Fact]
    public async Task Handle_OversizedKey_ReturnsNotFound()
    {
        var result = await fixture.SendAsync(_organizationId, new GetConsentQuery(_organizationId, new string('k', 10_000)));

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
    }

    [Fact]
    public async Task Handle_ExpiredRequest_ReturnsLinkExpired()
    {
        var key = await AuthRequests.CreatePendingAsync(fixture.Services, "alice", expiresInSeconds: 60);
        fixture.Time.Advance(TimeSpan.FromSeconds(60));

        var result = await fixture.SendAsync(_organizationId, new GetConsentQuery(_organizationId, key));

        Assert.Equal(ErrorCodes.LinkExpired, result.Error?.Code);
    }

    [Fact]
    public async Task Handle_ApprovedRequest_ReturnsAlreadyDecided()
    {
        var key = await AuthRequests.CreatePendingAsync(fixture.Services, "alice");
        var alice = await UserIdAsync("alice");
        var approval = await fixture.SendAsync(_organizationId, new ApproveBackchannelRequestCommand(_organizationId, key, alice, fixture.Time.GetUtcNow()));
        Assert.True(approval.IsSuccess);

        var result = await fixture.SendAsync(_organizationId, new GetConsentQuery(_organizationId, key));

        Assert.Equal(ErrorCodes.AlreadyDecided, result.Error?.Code);
    }

    [Fact]
    public void ToString_DoesNotShowTheLinkKey()
    {
        var query = new GetConsentQuery(_organizationId, "secret-link-key");

        Assert.DoesNotContain("secret-link-key", query.ToString(), StringComparison.Ordinal);
    }

    private Task<Guid> UserIdAsync(string userName) =>
        fixture.InScopeAsync(async sp =>
            (await sp.GetRequiredService<IUserDirectory>().FindByLoginHintAsync(_organizationId, userName, CancellationToken.None))!.Id);
}
