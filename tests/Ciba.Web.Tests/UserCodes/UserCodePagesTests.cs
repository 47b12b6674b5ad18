using System.Net;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protection;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.UserCodes;

/// <summary>product.md §12 user codes on the pages: the person sets theirs, the console requires and clears them.</summary>
public sealed class UserCodePagesTests(CibaWebFactoryWithoutDispatcher factory) : IClassFixture<CibaWebFactoryWithoutDispatcher>
{
    [Fact]
    public async Task AccountHome_SignedOut_GoesToSignIn()
    {
        using var anonymous = ConsoleSession.Anonymous(factory);
        using var response = await anonymous.GetAsync("/t/demo/account");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/t/demo/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountHome_ListsSectionsAndRecentRequests()
    {
        using var client = new ProtocolClient(factory);
        await client.StartExternalAsync("demo-kiosk", "alice", form => form["binding_message"] = "Kiosk 77");
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        using var response = await alice.GetAsync("/t/demo/account");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains("href=\"/t/demo/account/applications\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/t/demo/account/user-code\"", page, StringComparison.Ordinal);
        Assert.Contains("Demo Kiosk", page, StringComparison.Ordinal);
        Assert.Contains("Waiting for you", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetCode_EveryErrorAtOnce_ThenSaved_AndUsedByTheCallCentre()
    {
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        using var empty = await alice.PostFormAsync("/t/demo/account/user-code", [new("Code", ""), new("ConfirmCode", "")]);
        var emptyPage = await empty.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("data-error-summary", emptyPage, StringComparison.Ordinal);
        Assert.Contains("href=\"#Code\"", emptyPage, StringComparison.Ordinal);
        Assert.Contains("href=\"#ConfirmCode\"", emptyPage, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", emptyPage, StringComparison.Ordinal);

        using var shortAndDifferent = await alice.PostFormAsync("/t/demo/account/user-code", [new("Code", "12a"), new("ConfirmCode", "999")]);
        var page = await shortAndDifferent.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, shortAndDifferent.StatusCode);
        Assert.Contains("4 to 32 digits", page, StringComparison.Ordinal);
        Assert.Contains("do not match", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"12a\"", page, StringComparison.Ordinal);

        using var saved = await alice.PostFormAsync("/t/demo/account/user-code", [new("Code", "80808080"), new("ConfirmCode", "80808080")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        using var client = new ProtocolClient(factory);
        using var oldCode = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(), clientId: null);
        using var newCode = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(userCode: "80808080"), clientId: null);
        await ProtocolClient.AssertOAuthErrorAsync(oldCode, HttpStatusCode.BadRequest, "invalid_user_code");
        await ProtocolClient.AssertOkAsync(newCode);
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
    }

    [Fact]
    public async Task Console_RequireUserCode_OnAnApplication_IsEnforced()
    {
        var tvId = await ProtectionTestData.ReadAsync(factory.Services, db => db.Applications.Where(a => a.ClientId == "demo-tv").Select(a => a.Id).SingleAsync());
        using var admin = await ConsoleSession.AdminAsync(factory);
        var protocolPage = $"/t/demo/console/applications/{tvId}/protocol";
        Assert.Contains("data-user-code-requirement", await admin.GetPageAsync(protocolPage), StringComparison.Ordinal);

        using var on = await admin.PostFormAsync($"{protocolPage}/user-code", [new("RequireUserCode", "true"), new("RequireUserCode", "false")], protocolPage);
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        using var client = new ProtocolClient(factory);
        using var missing = await client.BackchannelAsync(ProtocolClient.ExternalRequest("alice"));
        await ProtocolClient.AssertOAuthErrorAsync(missing, HttpStatusCode.BadRequest, "missing_user_code");
        Assert.Contains(await ProtectionTestData.AuditAsync(factory.Services, "console.application.updated"),
            e => e.Detail?.Contains("RequireUserCode", StringComparison.Ordinal) == true);

        using var off = await admin.PostFormAsync($"{protocolPage}/user-code", [new("RequireUserCode", "false")], protocolPage);
        using var accepted = await client.BackchannelAsync(ProtocolClient.ExternalRequest("alice"));
        await ProtocolClient.AssertOkAsync(accepted);
    }

    [Fact]
    public async Task Console_ClearsACode_NeverShowsIt_AndAuditsIt()
    {
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
        var aliceId = await ProtectionTestData.ReadAsync(factory.Services, db => db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync());
        var hash = (await UserCodeTestData.ReadAsync(factory.Services))!.Hash;
        using var admin = await ConsoleSession.AdminAsync(factory);
        var userPage = $"/t/demo/console/users/{aliceId}";
        var before = await admin.GetPageAsync(userPage);
        Assert.Contains("Clear user code", before, StringComparison.Ordinal);
        Assert.DoesNotContain(hash, before, StringComparison.Ordinal);

        using var cleared = await admin.PostFormAsync($"{userPage}/user-code/clear", [], userPage);

        Assert.Equal(HttpStatusCode.Redirect, cleared.StatusCode);
        Assert.Null(await UserCodeTestData.ReadAsync(factory.Services));
        Assert.Contains("has no user code", await admin.GetPageAsync(userPage), StringComparison.Ordinal);
        var audit = Assert.Single(await ProtectionTestData.AuditAsync(factory.Services, "console.user_code.deleted"));
        Assert.Equal("admin", audit.Actor);
        Assert.Equal(aliceId, audit.UserId);

        using var client = new ProtocolClient(factory);
        using var refused = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(), clientId: null);
        await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_user_code");
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
    }
}
