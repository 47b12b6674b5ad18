using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>Steps through the admin console as a person would, for reuse by scenarios that go on to the protocol.</summary>
public static class ConsolePages
{
    public const string Organization = "demo";

    public static async Task SignInAsAdminAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync($"/t/{Organization}/console");
        await page.GetByLabel("Username or email").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync("Admin-Passw0rd!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**/t/{Organization}/console/applications");
    }

    public static async Task OpenProtocolTabAsync(IPage page, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync($"/t/{Organization}/console/applications");
        await page.GetByRole(AriaRole.Link, new() { Name = applicationName, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Protocol", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/protocol");
    }

    /// <summary>On the Protocol tab: sets the fields given (null leaves one as it is) and presses Update.</summary>
    public static async Task UpdateProtocolAsync(IPage page, string? expirySeconds = null, bool? email = null, bool? sms = null, bool? external = null, string? pollingIntervalSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (expirySeconds is not null)
        {
            await page.GetByLabel("Expiry Time (seconds)").FillAsync(expirySeconds);
        }

        await SetCheckedAsync(page.Locator("#channel-email"), email);
        await SetCheckedAsync(page.Locator("#channel-sms"), sms);
        await SetCheckedAsync(page.Locator("#channel-external"), external);
        if (pollingIntervalSeconds is not null)
        {
            await page.GetByLabel("Polling interval (seconds)").FillAsync(pollingIntervalSeconds);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await page.WaitForLoadStateAsync();
    }

    /// <summary>Creates an application and returns its client id and the one-time secret shown.</summary>
    public static async Task<(string ClientId, string ClientSecret)> CreateApplicationAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync($"/t/{Organization}/console/applications");
        await page.GetByRole(AriaRole.Link, new() { Name = "New application" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("shown only this once");
        return (await page.GetByLabel("Client ID").InputValueAsync(), await page.GetByLabel("Client secret").InputValueAsync());
    }

    private static async Task SetCheckedAsync(ILocator checkbox, bool? value)
    {
        if (value is { } wanted)
        {
            await checkbox.SetCheckedAsync(wanted);
        }
    }
}
