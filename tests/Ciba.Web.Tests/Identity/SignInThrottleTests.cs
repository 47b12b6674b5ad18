using System.Net;
using Ciba.Application.Accounts.SignIn;
using Ciba.Web.Tests.Console;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Identity;

/// <summary>
/// Issue 9 item 5: sign-in does not tell which accounts exist, and nobody can keep a person out
/// by failing on purpose (docs/decisions/0012-sessions-and-sign-in-throttling.md).
/// </summary>
public sealed class SignInThrottleTests(IdentityWebFactory factory) : IClassFixture<IdentityWebFactory>
{
    private const string Password = "Throttle-Passw0rd!";
    private const string Attacker = "203.0.113.66";
    private const string Owner = "198.51.100.7";

    [Fact]
    public async Task UnknownWrongAndLocked_GetTheSameAnswer()
    {
        var lockedId = await factory.CreateUserAsync("same-barred", Password);
        await factory.CreateUserAsync("same-known", Password);
        await factory.SetLockoutEndAsync(lockedId, DateTimeOffset.MaxValue);

        var unknown = await SignInAsync("same-nobody", Password, "192.0.2.1");
        var wrong = await SignInAsync("same-known", "Wrong-Passw0rd!", "192.0.2.1");
        var locked = await SignInAsync("same-barred", Password, "192.0.2.1");

        Assert.All([unknown, wrong, locked], answer =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Contains("The username or password is not right.", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("lock", answer.Body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Too many", answer.Body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task UnknownAccount_CostsOnePasswordHashVerification_AsAKnownOneDoes()
    {
        await factory.CreateUserAsync("hash-known", Password);

        var beforeUnknown = factory.Hasher.Verifications;
        await SignInAsync("hash-nobody", Password, "192.0.2.2");
        var unknown = factory.Hasher.Verifications - beforeUnknown;
        var beforeKnown = factory.Hasher.Verifications;
        await SignInAsync("hash-known", "Wrong-Passw0rd!", "192.0.2.2");
        var known = factory.Hasher.Verifications - beforeKnown;

        Assert.Equal(1, unknown);
        Assert.Equal(1, known);
    }

    [Fact]
    public async Task FailuresFromOneAddress_DoNotKeepTheOwnerOutFromTheirs()
    {
        await factory.CreateUserAsync("victim", Password);
        for (var attempt = 0; attempt < SignInBackoff.FreeAttempts; attempt++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync("victim", "Guess-" + attempt, Attacker)).Status);
        }

        var attackerWithTheRightPassword = await SignInAsync("victim", Password, Attacker);
        var owner = await SignInAsync("victim", Password, Owner);

        Assert.Equal(HttpStatusCode.TooManyRequests, attackerWithTheRightPassword.Status);
        Assert.Contains("Too many attempts. Wait 2 seconds, then try again.", attackerWithTheRightPassword.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, owner.Status);
        Assert.Equal(0, await factory.ReadAsync(db => db.Users.Where(u => u.UserName == "victim").Select(u => u.AccessFailedCount).SingleAsync()));
    }

    [Fact]
    public async Task Waits_DoubleAfterEachFailure_AndEndWithTheirTime()
    {
        await factory.CreateUserAsync("doubling", Password);
        const string address = "2001:db8:1:2::99";
        for (var attempt = 0; attempt < SignInBackoff.FreeAttempts; attempt++)
        {
            await SignInAsync("doubling", "Guess-" + attempt, address);
        }

        factory.Time.Advance(TimeSpan.FromSeconds(2));
        var sixth = await SignInAsync("doubling", "Guess-6", address);
        var tooSoon = await SignInAsync("doubling", Password, "2001:db8:1:2::100");
        factory.Time.Advance(TimeSpan.FromSeconds(4));
        var afterTheWait = await SignInAsync("doubling", Password, address);

        Assert.Equal(HttpStatusCode.BadRequest, sixth.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.Status);
        Assert.Contains("Wait 4 seconds", tooSoon.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, afterTheWait.Status);
    }

    [Fact]
    public async Task UnknownAccounts_AreThrottledLikeKnownOnes()
    {
        for (var attempt = 0; attempt < SignInBackoff.FreeAttempts; attempt++)
        {
            await SignInAsync("ghost", "Guess-" + attempt, Attacker);
        }

        var next = await SignInAsync("ghost", "Guess-x", Attacker);

        Assert.Equal(HttpStatusCode.TooManyRequests, next.Status);
        Assert.Contains("Too many attempts. Wait 2 seconds, then try again.", next.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentAttempts_AreCountedOneByOne_AndStoredWithoutTheLogin()
    {
        await factory.CreateUserAsync("burst", Password);

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => SignInAsync("burst", "Guess-" + i, "192.0.2.77")));

        Assert.Equal(SignInBackoff.FreeAttempts, answers.Count(a => a.Status == HttpStatusCode.BadRequest));
        Assert.Equal(12 - SignInBackoff.FreeAttempts, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
        var entry = await factory.ReadAsync(db => db.SignInThrottles.AsNoTracking().SingleAsync(t => t.AddressKey == "192.0.2.77"));
        Assert.Equal(SignInBackoff.FreeAttempts, entry.Failures);
        Assert.Equal(SignInBackoff.LoginKey("burst"), entry.LoginKey);
    }

    [Fact]
    public async Task SuccessfulSignIn_ClearsTheCount()
    {
        await factory.CreateUserAsync("forgiven", Password);
        for (var attempt = 0; attempt < SignInBackoff.FreeAttempts - 1; attempt++)
        {
            await SignInAsync("forgiven", "Guess-" + attempt, "192.0.2.88");
        }

        var success = await SignInAsync("forgiven", Password, "192.0.2.88");
        var afterwards = await SignInAsync("forgiven", "Guess-again", "192.0.2.88");

        Assert.Equal(HttpStatusCode.Redirect, success.Status);
        Assert.Equal(HttpStatusCode.BadRequest, afterwards.Status);
        Assert.Equal(1, await factory.ReadAsync(db => db.SignInThrottles.Where(t => t.AddressKey == "192.0.2.88").Select(t => t.Failures).SingleAsync()));
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(5, 2)]
    [InlineData(6, 4)]
    [InlineData(13, 512)]
    [InlineData(14, 900)]
    [InlineData(1000, 900)]
    public void Backoff_DoublesFromTheFifthFailureUpToFifteenMinutes(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SignInBackoff.DelayAfter(failures));

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:aa:bb:1:2:3:4", "2001:db8:aa:bb::/64")]
    [InlineData(null, "unknown")]
    public void AddressKey_IsTheIPv4AddressOrTheIPv6Network(string? address, string key) =>
        Assert.Equal(key, SignInBackoff.AddressKey(address is null ? null : IPAddress.Parse(address)));

    private async Task<(HttpStatusCode Status, string Body)> SignInAsync(string login, string password, string address)
    {
        using var session = ConsoleSession.Anonymous(factory);
        session.Client.DefaultRequestHeaders.Add(IdentityWebFactory.ClientAddressHeader, address);
        using var response = await session.PostFormAsync("/t/demo/login", [new("Login", login), new("Password", password)]);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
