using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Console;

public class ActivityConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task AuthRequests_ShowApplicationUserChannelsAndStatus_WithoutHashesOrBindingMessages()
    {
        var now = factory.Time.GetUtcNow();
        var (pending, approved) = await AddRequestsAsync(now);
        using var admin = await ConsoleSession.AdminAsync(factory);

        var page = await admin.GetPageAsync("/t/demo/console/activity");

        Assert.Contains("Demo TV", page, StringComparison.Ordinal);
        Assert.Contains("alice", page, StringComparison.Ordinal);
        Assert.Contains("Email, SMS", page, StringComparison.Ordinal);
        Assert.Contains("Pending", page, StringComparison.Ordinal);
        Assert.Contains("Approved", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(pending.AuthReqIdHash), page, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(approved.LinkKeyHash), page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret-binding", page, StringComparison.Ordinal);
    }

    private async Task<(BackchannelAuthenticationRequest Pending, BackchannelAuthenticationRequest Approved)> AddRequestsAsync(DateTimeOffset now)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var tv = await db.Applications.SingleAsync(a => a.ClientId == "demo-tv");
        var alice = await db.Users.SingleAsync(u => u.UserName == "alice" && u.OrganizationId == tv.OrganizationId);
        BackchannelAuthenticationRequest NewRequest() => BackchannelAuthenticationRequest.Create(
            tv.OrganizationId, tv.Id, alice.Id, SecretHashing.HashToken(RandomTokens.Create()), SecretHashing.HashToken(RandomTokens.Create()),
            "openid", "secret-binding", NotificationChannels.Email | NotificationChannels.Sms, 120, 2, now);
        var pending = NewRequest();
        var approved = NewRequest();
        approved.Approve(alice.Id, now, now);
        db.BackchannelRequests.AddRange(pending, approved);
        await db.SaveChangesAsync();
        return (pending, approved);
    }
}
