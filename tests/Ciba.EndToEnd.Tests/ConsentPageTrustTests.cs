using System.Text.RegularExpressions;
using Ciba.Domain.Backchannel;
using Ciba.Testing;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>product.md §17 on the phone pages: true time, messages and codes, a Deny that is a normal choice.</summary>
public class ConsentPageTrustTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public Task ConsentPage_WhenTimeRunsOut_CountsDownAndTurnsIntoTheExpiredPageInPlace(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4801", expiresInSeconds: 3600);
            await SignInThroughLinkAsync(page, key);
            var shortKey = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4802", expiresInSeconds: 4);
            await page.GotoAsync(AuthRequests.LinkPath(shortKey));
            var url = page.Url;

            await Assertions.Expect(page.Locator(".expiry")).ToHaveTextAsync(new Regex("^Expires in [1-4] seconds?$"));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link has expired", new() { Timeout = 10_000 });

            Assert.Equal(url, page.Url);
            Assert.Equal("This link has expired · Ciba", await page.TitleAsync());
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
            await page.AssertAccessibleAsync("expired in place");
            Assert.Equal(BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(server.Services, shortKey));
        });

    [Fact]
    public Task ConsentPage_WithoutJavaScript_ShowsTheTimeLeftAndARefreshShowsTheExpiredPage() =>
        BrowserTest.RunWithoutJavaScriptAsync(
            server.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl, ViewportSize = new() { Width = 360, Height = 740 }, JavaScriptEnabled = false }),
            async page =>
            {
                var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4803", expiresInSeconds: 90);
                await page.GotoAsync(AuthRequests.LinkPath(key));
                await Assertions.Expect(page.GetByText("Sign in to answer a sign-in request from Demo TV.")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator(".expiry")).ToHaveTextAsync("Expires in 1 minute 30 seconds");
                await page.GetByLabel("Username or email").FillAsync("alice");
                await page.GetByLabel("Password").FillAsync("Alice-Passw0rd!");
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Assertions.Expect(page.Locator(".expiry")).ToHaveTextAsync("Expires in 1 minute 30 seconds");

                server.Time.Advance(TimeSpan.FromSeconds(91));
                var response = await page.ReloadAsync();

                Assert.Equal(410, response!.Status);
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link has expired");
            });

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public Task ConsentPage_ShowsASentenceAsAMessageAndAShortCodeAsACode(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            var sentence = await AuthRequests.CreatePendingAsync(server.Services, "alice", "Please authenticate to My App");
            var code = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4804");
            await SignInThroughLinkAsync(page, sentence);

            await Assertions.Expect(page.GetByText("Check that it matches the message on your other device")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("blockquote.binding-message.message")).ToHaveTextAsync("Please authenticate to My App");
            var messageSize = await page.Locator(".binding-message").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
            await page.GotoAsync(AuthRequests.LinkPath(code));
            await Assertions.Expect(page.GetByText("Check that it matches the code on your other device")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("p.binding-message.code")).ToHaveTextAsync("4804");
            var codeSize = await page.Locator(".binding-message").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
            Assert.True(codeSize > messageSize * 1.3, $"code {codeSize}px, message {messageSize}px");
        });

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public Task DenyButton_LooksLikeANormalChoiceNotADanger(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4805");
            await SignInThroughLinkAsync(page, key);
            var deny = page.GetByRole(AriaRole.Button, new() { Name = "Deny" });

            var style = await deny.EvaluateAsync<string[]>("e => { const s = getComputedStyle(e); return [s.color, s.borderTopColor, s.backgroundColor]; }");

            Assert.DoesNotContain("danger", await deny.GetAttributeAsync("class") ?? string.Empty, StringComparison.Ordinal);
            Assert.All(style, color => Assert.DoesNotContain("180, 35, 24", color, StringComparison.Ordinal));
            var approveBox = await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).BoundingBoxAsync();
            var denyBox = await deny.BoundingBoxAsync();
            Assert.Equal(approveBox!.Height, denyBox!.Height, 1);
        });

    [Fact]
    public Task ConsentPage_ScriptsComeOnlyFromOurOrigin() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4806");
            await SignInThroughLinkAsync(page, key);

            var sources = await page.Locator("script").EvaluateAllAsync<string[]>("scripts => scripts.map(s => s.src)");

            Assert.NotEmpty(sources);
            Assert.All(sources, source => Assert.StartsWith(server.BaseUrl + "/js/", source, StringComparison.Ordinal));
            Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());
        });

    private static async Task SignInThroughLinkAsync(IPage page, string key)
    {
        await page.GotoAsync(AuthRequests.LinkPath(key));
        await page.GetByLabel("Username or email").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("Alice-Passw0rd!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeVisibleAsync();
    }
}
