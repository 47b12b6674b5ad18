using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// Runs a browser scenario in a fresh context with axe-core auditing every page it loads and its
/// final state (<see cref="Accessibility"/>). When it fails, saves a full-page screenshot under the
/// test output (<c>screenshots/</c>, never committed) before rethrowing.
/// </summary>
public static class BrowserTest
{
    public static Task RunAsync(Task<IBrowserContext> newContext, Func<IPage, Task> scenario, [CallerMemberName] string name = "") =>
        RunAsync(newContext, scenario, audit: true, name);

    /// <summary>
    /// A scenario in a context with JavaScript switched off. axe-core is JavaScript and cannot run
    /// there; the same pages are audited, with JavaScript, by the tests that visit them.
    /// </summary>
    public static Task RunWithoutJavaScriptAsync(Task<IBrowserContext> newContext, Func<IPage, Task> scenario, [CallerMemberName] string name = "") =>
        RunAsync(newContext, scenario, audit: false, name);

    private static async Task RunAsync(Task<IBrowserContext> newContext, Func<IPage, Task> scenario, bool audit, string name)
    {
        ArgumentNullException.ThrowIfNull(newContext);
        ArgumentNullException.ThrowIfNull(scenario);
        await using var context = await newContext;
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var audits = audit ? Accessibility.WatchLoads(page) : null;
        try
        {
            await scenario(page);
            if (audits is not null)
            {
                await page.AssertAccessibleAsync("at the end of the test");
                await audits.AssertNoViolationsAsync();
            }
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
            throw;
        }
    }
}
