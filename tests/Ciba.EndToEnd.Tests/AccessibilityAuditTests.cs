using Microsoft.Playwright;
using Xunit.Sdk;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// The load audits of <see cref="Accessibility"/> themselves: a load's audit that hangs is abandoned
/// and lets the test's own audit run (a full run once waited 60 s on it and failed a test that passes
/// alone), while a real violation still fails. The timeouts are scaled down so the hang is short.
/// </summary>
public class AccessibilityAuditTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    private const string Origin = "http://audit.test";

    private const string Accessible = """
        <!doctype html><html lang="en"><head><title>Audit</title></head>
        <body><main><h1>Audit</h1><p>Nothing wrong here.</p></main>
        """;

    // Keeps the page's only thread busy after it loaded, so an audit started at the load cannot finish.
    private const string BusyAfterLoad = """
        <script>addEventListener('load', () => setTimeout(() => { const end = Date.now() + 4000; while (Date.now() < end) { } }, 0));</script>
        """;

    [Fact]
    public async Task LoadAuditThatHangs_IsAbandoned_AndTheCurrentStateIsStillAudited()
    {
        await using var context = await server.NewLaptopContextAsync();
        var page = await context.NewPageAsync();
        await ServeAsync(page, Accessible + BusyAfterLoad + "</body></html>");
        var audits = new Accessibility.LoadAudits(page, loadAuditTimeout: TimeSpan.FromSeconds(1), waitTimeout: TimeSpan.FromSeconds(2));

        await page.GotoAsync(Origin + "/busy");

        Assert.Null(await audits.AuditNowAsync("after a hung load audit"));
        await audits.AssertNoViolationsAsync();
    }

    [Fact]
    public async Task LoadAudit_OfAPageWithAViolation_StillFails()
    {
        await using var context = await server.NewLaptopContextAsync();
        var page = await context.NewPageAsync();
        await ServeAsync(page, "<!doctype html><html><body><img src=\"data:,\"></body></html>");
        var audits = new Accessibility.LoadAudits(page, loadAuditTimeout: TimeSpan.FromSeconds(20), waitTimeout: TimeSpan.FromSeconds(60));

        await page.GotoAsync(Origin + "/violation");

        var failure = await Assert.ThrowsAsync<XunitException>(audits.AssertNoViolationsAsync);
        Assert.Contains("image-alt", failure.Message, StringComparison.Ordinal);
    }

    private static async Task ServeAsync(IPage page, string html) =>
        await page.RouteAsync(Origin + "/**", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = html }));
}
