using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>The console's Signing keys page (ADR 0015): listed with their state, rotated by a button, at laptop and phone width.</summary>
public class SigningKeysPageTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Theory]
    [InlineData(1280)]
    [InlineData(360)]
    public Task SigningKeys_RotateNow_ShowsTheNewKeyPublishedBeforeItSigns(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);
            using (var client = server.CreateHttpClient())
            {
                (await client.GetAsync(new Uri("/t/demo/oauth2/jwks", UriKind.Relative))).Dispose();
            }

            await page.GotoAsync($"/t/{ConsolePages.Organization}/console/signing-keys");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signing keys" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Signs new tokens" })).ToHaveCountAsync(3);
            await page.AssertAccessibleAsync("signing keys listed");

            await page.GetByRole(AriaRole.Button, new() { Name = "Rotate now" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("signs from");
            await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Published, signs soon" })).ToHaveCountAsync(3);
            await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Signs new tokens" })).ToHaveCountAsync(3);
        });
}
