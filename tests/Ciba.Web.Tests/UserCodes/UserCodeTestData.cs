using Ciba.Application.Accounts.UserCodes;
using Ciba.Domain.Users;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.UserCodes;

public static class UserCodeTestData
{
    public const string CallCentre = "demo-callcentre";
    public const string CallCentreSecret = "demo-callcentre-secret";
    public const string AliceCode = "2468";

    /// <summary>demo-callcentre authenticates with client_secret_post: its credentials are in the form.</summary>
    public static Dictionary<string, string> CallCentreRequest(string loginHint = "alice", string? userCode = AliceCode)
    {
        var form = new Dictionary<string, string>
        {
            ["client_id"] = CallCentre,
            ["client_secret"] = CallCentreSecret,
            ["scope"] = "openid profile",
            ["login_hint"] = loginHint,
            ["binding_message"] = "Call 4411",
        };
        if (userCode is not null)
        {
            form["user_code"] = userCode;
        }

        return form;
    }

    /// <summary>Sets a person's code as their account page does (the count and any lock start afresh).</summary>
    public static async Task SetCodeAsync(IServiceProvider services, DateTimeOffset now, string userName = "alice", string code = AliceCode)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        await scope.ServiceProvider.GetRequiredService<IUserCodes>().SetAsync(user.OrganizationId, user.Id, code, now, CancellationToken.None);
    }

    public static async Task<UserCode?> ReadAsync(IServiceProvider services, string userName = "alice")
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        return await db.Set<UserCode>().AsNoTracking().SingleOrDefaultAsync(c => c.UserId == user.Id);
    }
}
