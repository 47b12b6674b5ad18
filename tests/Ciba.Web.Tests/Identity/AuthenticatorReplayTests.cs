using System.Net;
using System.Text.RegularExpressions;
using Ciba.Domain.Audit;
using Ciba.Testing;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Identity;

/// <summary>
/// An authenticator code is accepted once (RFC 6238 §5.2, ADR 0032): at sign-in, at a consent
/// step-up and at the enrolment's confirmation, a code whose time step is not later than the last
/// one the person used is refused like a wrong code. Each test has people of its own; the clock is
/// the factory's FakeTimeProvider, which the check reads.
/// </summary>
public partial class AuthenticatorReplayTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private const string Password = "Test-Passw0rd!";
    private const string Destination = "/t/demo/account/applications";
    private const string CodePage = "/t/demo/login/code?returnUrl=%2Ft%2Fdemo%2Faccount%2Fapplications";

    private readonly ProtocolClient _protocol = new(factory);

    private DateTimeOffset Now => factory.Time.GetUtcNow();

    public void Dispose()
    {
        _protocol.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task SignIn_TheSameCodeTwice_IsRefusedTheSecondTimeLikeAWrongCode_AndTheNextStepsCodeWorks()
    {
        var (userName, key) = await AuthenticatorUsers.CreateWithAppAsync(factory, "rita", Password);
        var code = Totp.Code(key, Now);

        using (var first = await PasswordThenAsync(userName))
        {
            using var accepted = await GiveCodeAsync(first, code);
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            Assert.Equal(Destination, accepted.Headers.Location?.OriginalString);
        }

        using var second = await PasswordThenAsync(userName);
        using (var replayed = await GiveCodeAsync(second, code))
        {
            Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
            Assert.Contains("The code is not right", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(HasSession(second));
        }

        var userId = await _protocol.UserIdAsync(userName);
        var failures = await factory.ReadAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.UserId == userId && e.Action == AuditActions.SignInFailed).Select(e => e.Detail).ToListAsync());
        Assert.Equal(["Wrong authenticator code."], failures);

        // Half a minute later the app shows the next code, which signs in.
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        using var next = await GiveCodeAsync(second, Totp.Code(key, Now));
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.True(HasSession(second));
    }

    [Fact]
    public async Task SignIn_ACodeOfAnEarlierStep_AfterALaterOneWasUsed_IsRefused()
    {
        var (userName, key) = await AuthenticatorUsers.CreateWithAppAsync(factory, "sam", Password);

        // The window accepts the next step's code (a phone clock a little ahead)…
        using (var ahead = await PasswordThenAsync(userName))
        {
            using var accepted = await GiveCodeAsync(ahead, Totp.Code(key, Now.AddSeconds(30)));
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        // …after which the codes of this step and the one before, still in the window, are spent.
        using var later = await PasswordThenAsync(userName);
        foreach (var earlier in new[] { Now, Now.AddSeconds(-30) })
        {
            using var refused = await GiveCodeAsync(later, Totp.Code(key, earlier));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.False(HasSession(later));
        }

        factory.Time.Advance(TimeSpan.FromSeconds(60));
        using var fresh = await GiveCodeAsync(later, Totp.Code(key, Now));
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
    }

    [Fact]
    public async Task StepUp_TheCodeThatTurnedTheAppOn_IsRefused_TheNextOneStepsUp_AndCannotSignInAgain()
    {
        var userName = await AuthenticatorUsers.CreateAsync(factory, "tess", Password);
        using var session = await ConsoleSession.SignInAsync(factory, userName, Password);
        var enrolledAt = Now;
        var (key, _) = await AuthenticatorAndAcrTests.EnrolAsync(session, enrolledAt);

        var (_, linkKey) = await _protocol.StartExternalAsync(loginHint: userName, adjust: form => form["acr_values"] = "urn:ciba:acr:mfa");
        var link = AuthRequests.LinkPath(linkKey);
        var stepUpPage = "/t/demo/login/code?returnUrl=" + Uri.EscapeDataString(link);
        using (var consent = await session.GetAsync(link))
        {
            Assert.Equal(stepUpPage, consent.Headers.Location?.OriginalString);
        }

        using (var replayed = await session.PostFormAsync("/t/demo/login/code", [new("Code", Totp.Code(key, enrolledAt)), new("ReturnUrl", link)], stepUpPage))
        {
            Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
            Assert.Contains("The code is not right", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var stillWeak = await session.GetAsync(link))
        {
            Assert.Equal(stepUpPage, stillWeak.Headers.Location?.OriginalString);
        }

        var stepUpCode = Totp.Code(key, Now.AddSeconds(30));
        using (var steppedUp = await session.PostFormAsync("/t/demo/login/code", [new("Code", stepUpCode), new("ReturnUrl", link)], stepUpPage))
        {
            Assert.Equal(HttpStatusCode.Redirect, steppedUp.StatusCode);
            Assert.Equal(link, steppedUp.Headers.Location?.OriginalString);
        }

        using (var consent = await session.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        }

        // The step-up's code, seen over a shoulder, does not sign anyone in elsewhere.
        using var elsewhere = await PasswordThenAsync(userName);
        using var reused = await GiveCodeAsync(elsewhere, stepUpCode);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.False(HasSession(elsewhere));
    }

    [Fact]
    public async Task Enrolment_ACodeAlreadyUsedToConfirm_CannotConfirmAgain()
    {
        var userName = await AuthenticatorUsers.CreateAsync(factory, "uma", Password);
        using var session = await ConsoleSession.SignInAsync(factory, userName, Password);
        var (key, _) = await AuthenticatorAndAcrTests.EnrolAsync(session, Now);
        var userId = await _protocol.UserIdAsync(userName);

        // Turned off and on again at once with the same key: the code that confirmed it is spent.
        await AuthenticatorUsers.InDemoAsync(factory, async users =>
        {
            var user = (await users.Manager.FindByIdAsync(userId.ToString()))!;
            Assert.True((await users.Manager.SetTwoFactorEnabledAsync(user, false)).Succeeded);
        });
        using var again = await ConsoleSession.SignInAsync(factory, userName, Password);
        using var replayed = await again.PostFormAsync("/t/demo/account/authenticator", [new("Code", Totp.Code(key, Now))]);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);

        using var next = await again.PostFormAsync("/t/demo/account/authenticator", [new("Code", Totp.Code(key, Now.AddSeconds(30)))]);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Contains("Save your recovery codes", await next.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_OneCodeGivenAtTheSameMomentFromFourPlaces_SignsInExactlyOnce()
    {
        var (userName, key) = await AuthenticatorUsers.CreateWithAppAsync(factory, "vic", Password);
        var code = Totp.Code(key, Now);
        var sessions = new List<(ConsoleSession Session, string Token)>();
        for (var i = 0; i < 4; i++)
        {
            var session = await PasswordThenAsync(userName);
            sessions.Add((session, AntiforgeryToken(await session.GetPageAsync(CodePage))));
        }

        try
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var posts = sessions.Select(s => Task.Run(async () =>
            {
                await start.Task;
                using var response = await s.Session.PostWithoutTokenAsync(
                    "/t/demo/login/code", [new("Code", code), new("ReturnUrl", Destination), new("__RequestVerificationToken", s.Token)]);
                return response.StatusCode;
            })).ToList();
            start.SetResult();
            var statuses = await Task.WhenAll(posts);

            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Redirect));
            Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.BadRequest));
            Assert.Equal(1, sessions.Count(s => HasSession(s.Session)));
        }
        finally
        {
            sessions.ForEach(s => s.Session.Dispose());
        }
    }

    [Fact]
    public async Task UserManager_OneCodeCheckedEightTimesAtOnce_IsAcceptedExactlyOnce()
    {
        var (userName, key) = await AuthenticatorUsers.CreateWithAppAsync(factory, "wes", Password);
        var code = Totp.Code(key, Now);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var checks = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var accepted = false;
            await AuthenticatorUsers.InDemoAsync(factory, async users =>
            {
                var user = (await users.Manager.FindByNameAsync(userName))!;
                await start.Task;
                accepted = await users.Manager.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, code);
            });
            return accepted;
        })).ToList();
        await Task.Delay(200);
        start.SetResult();

        Assert.Equal(1, (await Task.WhenAll(checks)).Count(accepted => accepted));
    }

    [Fact]
    public async Task UserManager_OneRecoveryCodeRedeemedEightTimesAtOnce_IsAcceptedExactlyOnce()
    {
        var (userName, _) = await AuthenticatorUsers.CreateWithAppAsync(factory, "xan", Password);
        var codes = new List<string>();
        await AuthenticatorUsers.InDemoAsync(factory, async users =>
            codes.AddRange((await users.Manager.GenerateNewTwoFactorRecoveryCodesAsync((await users.Manager.FindByNameAsync(userName))!, 10))!));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var redemptions = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var redeemed = false;
            await AuthenticatorUsers.InDemoAsync(factory, async users =>
            {
                var user = (await users.Manager.FindByNameAsync(userName))!;
                await start.Task;
                redeemed = (await users.Manager.RedeemTwoFactorRecoveryCodeAsync(user, codes[0])).Succeeded;
            });
            return redeemed;
        })).ToList();
        await Task.Delay(200);
        start.SetResult();

        Assert.Equal(1, (await Task.WhenAll(redemptions)).Count(redeemed => redeemed));
        await AuthenticatorUsers.InDemoAsync(factory, async users =>
            Assert.Equal(9, await users.Manager.CountRecoveryCodesAsync((await users.Manager.FindByNameAsync(userName))!)));
    }

    /// <summary>A new browser that gave the person's password and now stands at the code step.</summary>
    private async Task<ConsoleSession> PasswordThenAsync(string userName)
    {
        var session = ConsoleSession.Anonymous(factory);
        using var password = await session.PostFormAsync("/t/demo/login", [new("Login", userName), new("Password", Password), new("ReturnUrl", Destination)]);
        Assert.Equal("/t/demo/login/code?returnUrl=" + Uri.EscapeDataString(Destination), password.Headers.Location?.OriginalString);
        return session;
    }

    private static Task<HttpResponseMessage> GiveCodeAsync(ConsoleSession session, string code) =>
        session.PostFormAsync("/t/demo/login/code", [new("Code", code), new("ReturnUrl", Destination)], CodePage);

    private static bool HasSession(ConsoleSession session) =>
        session.Cookies.GetAllCookies().Any(c => c.Name.StartsWith(".ciba.session", StringComparison.Ordinal));

    private static string AntiforgeryToken(string page) => WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
