using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>Settings → Trusted hint issuers (product.md §12) in Chromium: a private key is refused GOV.UK style, a public JWK Set is saved and listed; axe clean.</summary>
public class HintIssuerPageTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Fact]
    public Task HintIssuers_PrivateKeyRefused_PublicKeysSavedAndListed() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            using var rsa = RSA.Create(2048);
            var full = rsa.ExportParameters(true);
            static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var privateJwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", kid = "hint-1", n = Encode(full.Modulus!), e = Encode(full.Exponent!), d = Encode(full.D!) } } });
            var publicJwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", kid = "hint-1", n = Encode(full.Modulus!), e = Encode(full.Exponent!) } } });

            await ConsolePages.SignInAsAdminAsync(page);
            await page.GotoAsync("/t/demo/console/settings");
            await page.GetByRole(AriaRole.Link, new() { Name = "Trusted hint issuers" }).ClickAsync();
            await page.GetByLabel("Issuer").FillAsync("https://hints.e2e.test");
            await page.GetByLabel("Public keys (JWK Set)").FillAsync(privateJwks);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save issuer" }).ClickAsync();

            var summary = page.GetByRole(AriaRole.Alert);
            await Assertions.Expect(summary).ToContainTextAsync("private key");
            await Assertions.Expect(summary).ToBeFocusedAsync();
            await Assertions.Expect(page.GetByLabel("Issuer")).ToHaveValueAsync("https://hints.e2e.test");
            await page.AssertAccessibleAsync("the hint-issuer errors");

            await page.GetByLabel("Public keys (JWK Set)").FillAsync(publicJwks);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save issuer" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-hint-issuers]")).ToContainTextAsync("https://hints.e2e.test");
            await Assertions.Expect(page.Locator("[data-hint-issuers]")).ToContainTextAsync("hint-1");
        });
}
