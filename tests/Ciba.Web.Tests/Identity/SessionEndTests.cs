using System.Net;
using Ciba.Testing;
using Ciba.Web.Tests.Console;

namespace Ciba.Web.Tests.Identity;

/// <summary>Issue 9 item 1: locking, demoting or resetting a user ends their sessions; sessions have an absolute lifetime.</summary>
public sealed class SessionEndTests(IdentityWebFactory factory) : IClassFixture<IdentityWebFactory>
{
    private const string Password = "Session-Passw0rd!";

    [Fact]
    public async Task DemotedAdministrator_LosesTheConsoleOnTheNextRequest()
    {
        var (target, targetSession, admin) = await TwoAdministratorsAsync("demoted");
        var page = $"/t/demo/console/users/{target}";

        using var demoted = await admin.PostFormAsync(page, [new("UserName", "demoted-adm"), new("Email", "demoted-adm@demo.test"), new("EmailVerified", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, demoted.StatusCode);

        await AssertSignedOutOfConsoleAsync(targetSession);
    }

    [Fact]
    public async Task DemotedAdministrator_WithUnchangedContact_LosesTheConsole()
    {
        var (target, targetSession, admin) = await TwoAdministratorsAsync("demoted2");
        var page = $"/t/demo/console/users/{target}";

        using var demoted = await admin.PostFormAsync(page, [new("UserName", "demoted2"), new("Email", "demoted2@demo.test"), new("EmailVerified", "true"), new("Mobile", await MobileAsync(target))]);
        Assert.Equal(HttpStatusCode.Redirect, demoted.StatusCode);

        await AssertSignedOutOfConsoleAsync(targetSession);
    }

    [Fact]
    public async Task LockedAdministrator_LosesTheConsoleOnTheNextRequest()
    {
        var (target, targetSession, admin) = await TwoAdministratorsAsync("locked");
        var page = $"/t/demo/console/users/{target}";

        using var locked = await admin.PostFormAsync($"{page}/lock", [], formPage: page);
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);

        await AssertSignedOutOfConsoleAsync(targetSession);
    }

    [Fact]
    public async Task AdministratorWhosePasswordWasReset_LosesTheConsoleOnTheNextRequest()
    {
        var (target, targetSession, admin) = await TwoAdministratorsAsync("reset");
        var page = $"/t/demo/console/users/{target}";

        using var reset = await admin.PostFormAsync($"{page}/password", [new("Password", "Reset-N3w-Passw0rd!")], formPage: page);
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);

        await AssertSignedOutOfConsoleAsync(targetSession);
    }

    [Fact]
    public async Task Session_EndsAfterItsAbsoluteLifetime_EvenWhileInUse()
    {
        await factory.CreateUserAsync("marathon", Password, administrator: true);
        using var session = await ConsoleSession.SignInAsync(factory, "marathon", Password);

        for (var hours = 0; hours < 11; hours += 1)
        {
            using var inUse = await session.GetAsync("/t/demo/console/applications");
            Assert.Equal(HttpStatusCode.OK, inUse.StatusCode);
            factory.Time.Advance(TimeSpan.FromHours(1));
        }

        factory.Time.Advance(TimeSpan.FromMinutes(61));
        await AssertSignedOutOfConsoleAsync(session);
    }

    [Fact]
    public async Task LockedUser_OnThePhonePages_IsSignedOutWithinAMinute()
    {
        var userId = await factory.CreateUserAsync("phone-user", Password);
        using var phone = await ConsoleSession.SignInAsync(factory, "phone-user", Password);
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "phone-user");
        using var admin = await ConsoleSession.AdminAsync(factory);
        var page = $"/t/demo/console/users/{userId}";

        using var locked = await admin.PostFormAsync($"{page}/lock", [], formPage: page);
        factory.Time.Advance(TimeSpan.FromSeconds(61));
        using var consent = await phone.GetAsync(AuthRequests.LinkPath(key));

        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        Assert.StartsWith("/t/demo/login?returnUrl=", consent.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhonePages_CheckTheAccountAtMostEveryMinute()
    {
        var userId = await factory.CreateUserAsync("phone-user2", Password);
        using var phone = await ConsoleSession.SignInAsync(factory, "phone-user2", Password);
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "phone-user2");

        await factory.SetLockoutEndAsync(userId, DateTimeOffset.MaxValue);
        using var withinTheMinute = await phone.GetAsync(AuthRequests.LinkPath(key));
        factory.Time.Advance(TimeSpan.FromSeconds(61));
        using var afterTheMinute = await phone.GetAsync(AuthRequests.LinkPath(key));

        Assert.Equal(HttpStatusCode.OK, withinTheMinute.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, afterTheMinute.StatusCode);
    }

    private async Task<(Guid Target, ConsoleSession TargetSession, ConsoleSession Admin)> TwoAdministratorsAsync(string userName)
    {
        var target = await factory.CreateUserAsync(userName, Password, administrator: true);
        var targetSession = await ConsoleSession.SignInAsync(factory, userName, Password);
        using var before = await targetSession.GetAsync("/t/demo/console/applications");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        return (target, targetSession, await ConsoleSession.AdminAsync(factory));
    }

    private Task<string> MobileAsync(Guid userId) =>
        factory.ReadAsync(async db => (await db.Users.FindAsync(userId))!.PhoneNumber!);

    private static async Task AssertSignedOutOfConsoleAsync(ConsoleSession session)
    {
        using var console = await session.GetAsync("/t/demo/console/applications");
        Assert.Equal(HttpStatusCode.Redirect, console.StatusCode);
        Assert.StartsWith("/t/demo/login?returnUrl=", console.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var create = await session.PostWithoutTokenAsync("/t/demo/console/applications/new", [new("Name", "Should not exist")]);
        Assert.Equal(HttpStatusCode.Redirect, create.StatusCode);
        Assert.StartsWith("/t/demo/login?returnUrl=", create.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
