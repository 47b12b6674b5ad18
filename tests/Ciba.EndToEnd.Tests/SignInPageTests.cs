using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

public class SignInPageTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Fact]
    public Task SignIn_WithWrongPassword_ShowsErrorAndStaysSignedOut() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            await page.GotoAsync("/t/demo/login");
            await page.GetByLabel("Username or email").FillAsync("alice");
            await page.GetByLabel("Password").FillAsync("not-her-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("username or password is not right");
            var cookies = await page.Context.CookiesAsync();
            Assert.DoesNotContain(cookies, c => c.Name.StartsWith(".ciba.session", StringComparison.Ordinal));
        });

    [Fact]
    public Task SignIn_WithEmailAndPassword_SetsCookieScopedToTheOrganization() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            await page.GotoAsync("/t/demo/login?returnUrl=%2Ft%2Fdemo%2Flogin");
            await page.GetByLabel("Username or email").FillAsync("alice@demo.test");
            await page.GetByLabel("Password").FillAsync("Alice-Passw0rd!");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/t/demo/login");

            var cookies = await page.Context.CookiesAsync();
            var session = Assert.Single(cookies, c => c.Name == ".ciba.session.demo");
            Assert.Equal("/t/demo", session.Path);
            Assert.True(session.HttpOnly);
            Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        });

    [Fact]
    public Task SignInPage_AtPhoneWidth_HasLabelsLanguageAndLargeButton() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var response = await page.GotoAsync("/t/demo/login");

            Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
            var button = await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).BoundingBoxAsync();
            Assert.True(button!.Height >= 44);
            Assert.True(button.Width <= 360);
            var headers = response!.Headers;
            Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
            Assert.Equal("no-referrer", headers["referrer-policy"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
        });
}
