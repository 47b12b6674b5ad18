using Ciba.Domain.Audit;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Protection;

public static class ProtectionTestData
{
    public static async Task SetLimitsAsync(IServiceProvider services, int pending, int perClient, int cooldownMinutes = 60)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Handle == "demo");
        organization.SetLimits(new AntiFatigueLimits(pending, perClient, cooldownMinutes));
        await db.SaveChangesAsync();
    }

    public static async Task<T> ReadAsync<T>(IServiceProvider services, Func<CibaDbContext, Task<T>> read)
    {
        await using var scope = services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CibaDbContext>());
    }

    public static Task<int> RequestCountAsync(IServiceProvider services, string userName) =>
        ReadAsync(services, async db =>
        {
            var userId = (await db.Users.SingleAsync(u => u.UserName == userName)).Id;
            return await db.BackchannelRequests.CountAsync(r => r.UserId == userId);
        });

    public static Task<int> OutboxCountAsync(IServiceProvider services) => ReadAsync(services, db => db.OutgoingMessages.CountAsync());

    public static Task<List<AuditEvent>> AuditAsync(IServiceProvider services, string action) =>
        ReadAsync(services, db => db.AuditEvents.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.OccurredAt).ToListAsync());

    /// <summary>Every text field of an event, to assert that no secret reached it.</summary>
    public static string Text(AuditEvent e) => string.Join('|', e.Action, e.Actor, e.Subject, e.Detail, e.SourceAddress);
}
