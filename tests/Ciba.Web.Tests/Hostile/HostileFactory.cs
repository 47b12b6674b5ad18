using System.Net;
using System.Text.RegularExpressions;
using Ciba.Web.Tests.Console;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Hostile;

/// <summary>
/// One app for the whole hostile suite, with the sessions it reuses: a protocol client, a signed-in
/// administrator and an anonymous browser, each with an antiforgery token read once.
/// </summary>
public sealed partial class HostileFactory : CibaWebFactory
{
    protected override bool DispatcherEnabled => false;

    public HttpClient Protocol { get; private set; } = null!;

    public ConsoleSession Admin { get; private set; } = null!;

    public string AdminToken { get; private set; } = string.Empty;

    public ConsoleSession Anonymous { get; private set; } = null!;

    public string AnonymousToken { get; private set; } = string.Empty;

    public Guid ApplicationId { get; private set; }

    public Guid BobId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Protocol = CreateClient();
        Admin = await ConsoleSession.AdminAsync(this);
        AdminToken = await TokenAsync(Admin, "/t/demo/console/applications/new");
        Anonymous = ConsoleSession.Anonymous(this);
        AnonymousToken = await TokenAsync(Anonymous, "/t/demo/login");
        ApplicationId = (await this.ApplicationAsync("demo-web")).Id;
        BobId = await this.ReadAsync(db => db.Users.Where(u => u.UserName == "bob").Select(u => u.Id).SingleAsync());
    }

    private static async Task<string> TokenAsync(ConsoleSession session, string page)
    {
        var body = await session.GetPageAsync(page);
        return WebUtility.HtmlDecode(TokenPattern().Match(body).Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
