using System.Net;
using System.Text.RegularExpressions;
using Ciba.Domain.Applications;
using Ciba.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Console;

/// <summary>product.md §13 in the console: the organization's APIs, their scopes, an application's Tokens tab, the grant-type list.</summary>
public sealed class ApisConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task Protocol_AllowedGrantTypes_AreExactlyTheServedGrants()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var tv = await factory.ApplicationAsync("demo-tv");

        var page = await admin.GetPageAsync($"/t/demo/console/applications/{tv.Id}/protocol");

        var offered = Regex.Matches(page, "name=\"GrantTypes\" value=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([GrantTypes.Ciba, GrantTypes.RefreshToken], offered);
        Assert.Contains(">Refresh Token</label>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Client Credentials", page, StringComparison.Ordinal);
        Assert.DoesNotContain("authorization_code", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apis_CreateAddScopesAndAllowThemForAnApplication()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var created = await admin.PostFormAsync("/t/demo/console/apis/new", [new("Name", "Ledger"), new("Identifier", "https://ledger.demo.test")]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var path = created.Headers.Location!.OriginalString;
        using var added = await admin.PostFormAsync(path + "/scopes", [new("Value", "ledger:read"), new("Description", "See your balances")], path);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var apiPage = await admin.GetPageAsync(path);
        Assert.Contains("ledger:read", apiPage, StringComparison.Ordinal);
        Assert.Contains("See your balances", apiPage, StringComparison.Ordinal);
        Assert.Contains("Ledger", await admin.GetPageAsync("/t/demo/console/apis"), StringComparison.Ordinal);

        var tv = await factory.ApplicationAsync("demo-tv");
        var tokensPath = $"/t/demo/console/applications/{tv.Id}/tokens";
        using var saved = await admin.PostFormAsync(tokensPath, [
            new("RefreshTokenLifetimeSeconds", "86400"), new("RefreshTokenIdleLifetimeSeconds", "3600"), new("AlwaysIssueRefreshToken", "true"),
            new("ApiScopes", "ledger:read"), new("ApiScopes", DemoApis.PhotosWrite)]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var application = await factory.ApplicationAsync("demo-tv");
        Assert.Equal(["ledger:read", DemoApis.PhotosWrite], application.ApiScopes);
        Assert.Equal(RefreshTokenSettings.Create(86400, 3600, alwaysIssue: true), application.RefreshTokens);
        Assert.Matches("id=\"scope-\\d+\" name=\"ApiScopes\" value=\"ledger:read\" checked", await admin.GetPageAsync(tokensPath));

        // Removing the scope takes it away from every application.
        using var removed = await admin.PostFormAsync(path + "/scopes/remove", [new("value", "ledger:read")], path);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal([DemoApis.PhotosWrite], (await factory.ApplicationAsync("demo-tv")).ApiScopes);
    }

    [Theory]
    [InlineData("", "https://x.demo.test", "Name", "Enter a name of at most 100 characters.")]
    [InlineData("X", "not a uri", "Identifier", "Enter an absolute URI without a fragment")]
    [InlineData("X", "https://x.demo.test/#frag", "Identifier", "Enter an absolute URI without a fragment")]
    [InlineData("Photos again", DemoApis.PhotosIdentifier, "Identifier", "Another API of this organization has this identifier.")]
    public async Task Apis_Create_WithBadValues_ShowsFieldErrors(string name, string identifier, string field, string message)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostFormAsync("/t/demo/console/apis/new", [new("Name", name), new("Identifier", identifier)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(new Regex($"data-valmsg-for=\"{field}\"[^>]*>{Regex.Escape(message)}"), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("openid", "Enter a scope of letters")]
    [InlineData("two words", "Enter a scope of letters")]
    [InlineData(DemoApis.PhotosRead, "An API of this organization already has this scope.")]
    public async Task Apis_AddScope_WithBadValue_ShowsAFieldError(string value, string message)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var apiId = await factory.ReadAsync(db => db.ApiResources.Where(a => a.Identifier == DemoApis.PhotosIdentifier).Select(a => a.Id).SingleAsync());
        var path = $"/t/demo/console/apis/{apiId}";

        using var response = await admin.PostFormAsync(path + "/scopes", [new("Value", value), new("Description", "Anything")], path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(new Regex($"data-valmsg-for=\"Value\"[^>]*>{Regex.Escape(message)}"), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tokens_IdleLongerThanAbsolute_IsAFieldErrorAndSavesNothing()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var kiosk = await factory.ApplicationAsync("demo-kiosk");

        using var response = await admin.PostFormAsync($"/t/demo/console/applications/{kiosk.Id}/tokens", [
            new("RefreshTokenLifetimeSeconds", "600"), new("RefreshTokenIdleLifetimeSeconds", "601")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(new Regex("data-valmsg-for=\"RefreshTokenIdleLifetimeSeconds\"[^>]*>The idle lifetime cannot be longer than the absolute lifetime."), await response.Content.ReadAsStringAsync());
        Assert.Equal(RefreshTokenSettings.Default, (await factory.ApplicationAsync("demo-kiosk")).RefreshTokens);
    }

    [Fact]
    public async Task Tokens_UnknownApiScope_IsAFieldError()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var kiosk = await factory.ApplicationAsync("demo-kiosk");

        using var response = await admin.PostFormAsync($"/t/demo/console/applications/{kiosk.Id}/tokens", [
            new("RefreshTokenLifetimeSeconds", "600"), new("RefreshTokenIdleLifetimeSeconds", "600"), new("ApiScopes", "nobody.defines.this")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(new Regex("data-valmsg-for=\"ApiScopes\"[^>]*>Choose API scopes from the list."), await response.Content.ReadAsStringAsync());
    }
}
