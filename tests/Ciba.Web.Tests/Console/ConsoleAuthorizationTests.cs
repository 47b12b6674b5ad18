using System.Net;
using Ciba.Domain.Applications;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Console;

public class ConsoleAuthorizationTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    public static TheoryData<string> ConsolePages => new()
    {
        "/t/demo/console/applications",
        "/t/demo/console/applications/new",
        "/t/demo/console/users",
        "/t/demo/console/users/new",
        "/t/demo/console/activity",
        "/t/demo/console/activity/deliveries",
        "/t/demo/console/activity/inbox",
        "/t/demo/console/providers",
        "/t/demo/console/organizations",
    };

    [Theory]
    [MemberData(nameof(ConsolePages))]
    public async Task ConsolePage_NotSignedIn_RedirectsToSignIn(string path)
    {
        using var session = ConsoleSession.Anonymous(factory);

        using var response = await session.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/t/demo/login?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(ConsolePages))]
    public async Task ConsolePage_SignedInWithoutAdministratorRole_Is403(string path)
    {
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        using var response = await alice.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ProtocolPost_ByNonAdministrator_Is403AndChangesNothing()
    {
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");
        var tv = await factory.ApplicationAsync("demo-tv");

        using var response = await alice.PostWithoutTokenAsync(
            $"/t/demo/console/applications/{tv.Id}/protocol",
            [new("GrantTypes", GrantTypes.Ciba), new("ExpirySeconds", "999"), new("Channels", "Email"), new("PollingIntervalSeconds", "5")]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(tv.CibaSettings, (await factory.ApplicationAsync("demo-tv")).CibaSettings);
    }

    [Fact]
    public async Task ConsolePost_WithoutAntiforgeryToken_Is400AndCreatesNothing()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostWithoutTokenAsync("/t/demo/console/applications/new", [new("Name", "Forged app")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await factory.ReadAsync(db => db.Applications.AnyAsync(a => a.Name == "Forged app")));
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_Is400()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostWithoutTokenAsync("/t/demo/logout", []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignOut_FromConsole_EndsTheSession()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var signOut = await admin.PostFormAsync("/t/demo/logout", [], formPage: "/t/demo/console/applications");
        using var after = await admin.GetAsync("/t/demo/console/applications");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/t/demo/login", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/t/demo/console/activity/deliveries")]
    [InlineData("/t/demo/console/activity/inbox")]
    [InlineData("/t/demo/console/providers")]
    public async Task MessagePages_ForAdministrator_Render(string path)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ProvidersPost_WithoutAntiforgeryToken_Is400()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostWithoutTokenAsync("/t/demo/console/providers/email", [new("Email.Provider", "None")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ConsoleHome_ForAdministrator_RedirectsToApplications()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.GetAsync("/t/demo/console");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/t/demo/console/applications", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ConsolePage_ForAdministrator_HasSecurityHeaders()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.GetAsync("/t/demo/console/applications");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task OtherOrganizationAdministrator_CannotReachDemoApplications()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        using var created = await admin.PostFormAsync("/t/demo/console/organizations/new",
        [
            new("Handle", "acme"), new("Name", "Acme"), new("AdminUserName", "root"),
            new("AdminEmail", "root@acme.test"), new("AdminPassword", "Acme-Passw0rd!"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        using var acme = await ConsoleSession.SignInAsync(factory, "root", "Acme-Passw0rd!", "acme");
        var tv = await factory.ApplicationAsync("demo-tv");

        using var ownConsole = await acme.GetAsync("/t/acme/console/applications");
        var ownList = await ownConsole.Content.ReadAsStringAsync();
        using var general = await acme.GetAsync($"/t/acme/console/applications/{tv.Id}");
        using var protocol = await acme.PostFormAsync(
            $"/t/acme/console/applications/{tv.Id}/protocol",
            [new("GrantTypes", GrantTypes.Ciba), new("ExpirySeconds", "999"), new("Channels", "Email"), new("PollingIntervalSeconds", "5")],
            formPage: "/t/acme/console/applications/new");
        using var secret = await acme.PostFormAsync($"/t/acme/console/applications/{tv.Id}/secret", [], formPage: "/t/acme/console/applications/new");
        using var demoConsole = await acme.GetAsync("/t/demo/console/applications");

        Assert.Equal(HttpStatusCode.OK, ownConsole.StatusCode);
        Assert.DoesNotContain("demo-tv", ownList, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, general.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, protocol.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, secret.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, demoConsole.StatusCode);
        var unchanged = await factory.ApplicationAsync("demo-tv");
        Assert.Equal(tv.CibaSettings, unchanged.CibaSettings);
        Assert.Equal(tv.ClientSecretHash, unchanged.ClientSecretHash);
    }

    [Fact]
    public async Task OtherOrganizationSessionCookie_PresentedToDemo_Is403()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        using var created = await admin.PostFormAsync("/t/demo/console/organizations/new",
        [
            new("Handle", "globex"), new("Name", "Globex"), new("AdminUserName", "admin"),
            new("AdminEmail", "admin@globex.test"), new("AdminPassword", "Globex-Passw0rd!"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        using var globex = await ConsoleSession.SignInAsync(factory, "admin", "Globex-Passw0rd!", "globex");
        var globexCookie = globex.Cookies.GetCookies(new Uri("https://localhost/t/globex/")).Single(c => c.Name == ".ciba.session.globex");
        using var intruder = ConsoleSession.Anonymous(factory);
        intruder.Cookies.Add(new Uri("https://localhost/t/demo/"), new Cookie(".ciba.session.demo", globexCookie.Value, "/t/demo"));

        using var response = await intruder.GetAsync("/t/demo/console/applications");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Organizations_AdministratorNotNamedSystemAdministrator_Is403()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        using var created = await admin.PostFormAsync("/t/demo/console/organizations/new",
        [
            new("Handle", "initech"), new("Name", "Initech"), new("AdminUserName", "bill"),
            new("AdminEmail", "bill@initech.test"), new("AdminPassword", "Initech-Passw0rd!"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        using var initech = await ConsoleSession.SignInAsync(factory, "bill", "Initech-Passw0rd!", "initech");

        using var applications = await initech.GetAsync("/t/initech/console/applications");
        using var organizations = await initech.GetAsync("/t/initech/console/organizations");
        var page = await applications.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, applications.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, organizations.StatusCode);
        Assert.DoesNotContain("/console/organizations", page, StringComparison.Ordinal);
    }
}
