using System.Net;
using System.Net.Http.Headers;
using Ciba.Domain.Backchannel;
using Ciba.Testing;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Identity;

/// <summary>
/// Issue 9 item 1: a locked person gets no request (answered as an unknown user, nothing sent),
/// cannot approve, and their client gets no tokens and no userinfo.
/// </summary>
public sealed class LockedUserProtocolTests(IdentityWebFactory factory) : IClassFixture<IdentityWebFactory>, IDisposable
{
    private const string Password = "Locked-Passw0rd!";
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Backchannel_ForALockedUser_AnswersAsForAnUnknownUserAndSendsNothing()
    {
        var userId = await factory.CreateUserAsync("locked-bc", Password);
        await factory.SetLockoutEndAsync(userId, DateTimeOffset.MaxValue);
        var (requestsBefore, messagesBefore) = await CountsAsync();

        using var locked = await _client.BackchannelAsync(Request("locked-bc"));
        using var unknown = await _client.BackchannelAsync(Request("nobody-by-this-name"));

        await ProtocolClient.AssertOAuthErrorAsync(locked, HttpStatusCode.BadRequest, "unknown_user_id");
        await ProtocolClient.AssertOAuthErrorAsync(unknown, HttpStatusCode.BadRequest, "unknown_user_id");
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await locked.Content.ReadAsStringAsync());
        Assert.Equal((requestsBefore, messagesBefore), await CountsAsync());
    }

    [Fact]
    public async Task Backchannel_AfterUnlock_ReachesTheUserAgain()
    {
        var userId = await factory.CreateUserAsync("unlocked-bc", Password);
        await factory.SetLockoutEndAsync(userId, DateTimeOffset.MaxValue);
        await factory.SetLockoutEndAsync(userId, null);

        using var response = await _client.BackchannelAsync(Request("unlocked-bc"));

        await ProtocolClient.AssertOkAsync(response);
    }

    [Fact]
    public async Task Approval_ByALockedUserInAnOpenSession_IsRefusedAndDecidesNothing()
    {
        var userId = await factory.CreateUserAsync("locked-approver", Password);
        using var phone = await ConsoleSession.SignInAsync(factory, "locked-approver", Password);
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "locked-approver");
        var consentPage = AuthRequests.LinkPath(key);
        await phone.GetPageAsync(consentPage);

        await factory.SetLockoutEndAsync(userId, DateTimeOffset.MaxValue);
        using var approve = await phone.PostFormAsync("/t/demo/oauth2/ciba_authorize/approve", [new("authCodeKey", key)], formPage: consentPage);

        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Contains("Your account cannot approve requests", await approve.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(factory.Services, key));
    }

    [Fact]
    public async Task Redemption_OfARequestApprovedBeforeTheLock_IsAccessDenied()
    {
        var userId = await factory.CreateUserAsync("locked-redeemer", Password);
        var (authReqId, linkKey) = await _client.StartExternalAsync(loginHint: "locked-redeemer");
        Assert.True((await _client.ApproveAsync(linkKey, "locked-redeemer")).IsSuccess);

        await factory.SetLockoutEndAsync(userId, DateTimeOffset.MaxValue);
        factory.Time.Advance(TimeSpan.FromSeconds(3));
        using var poll = await _client.PollAsync(authReqId);

        await ProtocolClient.AssertOAuthErrorAsync(poll, HttpStatusCode.BadRequest, "access_denied");
        Assert.Equal(BackchannelRequestStatus.Approved, await AuthRequests.StatusAsync(factory.Services, linkKey));
    }

    [Fact]
    public async Task UserInfo_ForALockedUser_Is401InvalidToken()
    {
        var userId = await factory.CreateUserAsync("locked-userinfo", Password);
        var (authReqId, linkKey) = await _client.StartExternalAsync(loginHint: "locked-userinfo");
        Assert.True((await _client.ApproveAsync(linkKey, "locked-userinfo")).IsSuccess);
        factory.Time.Advance(TimeSpan.FromSeconds(3));
        using var poll = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOkAsync(poll);
        using var json = await ProtocolClient.ReadJsonAsync(poll);
        var accessToken = json.RootElement.GetProperty("access_token").GetString()!;

        using var before = await UserInfoAsync(accessToken);
        await factory.SetLockoutEndAsync(userId, DateTimeOffset.MaxValue);
        using var after = await UserInfoAsync(accessToken);

        await ProtocolClient.AssertOkAsync(before);
        await ProtocolClient.AssertOAuthErrorAsync(after, HttpStatusCode.Unauthorized, "invalid_token");
    }

    public void Dispose() => _client.Dispose();

    private static Dictionary<string, string> Request(string loginHint) => new()
    {
        ["scope"] = "openid",
        ["login_hint"] = loginHint,
        ["binding_message"] = "1234",
    };

    private Task<HttpResponseMessage> UserInfoAsync(string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/t/demo/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return _client.Http.SendAsync(request);
    }

    private Task<(int Requests, int Messages)> CountsAsync() =>
        factory.ReadAsync(async db => (await db.BackchannelRequests.CountAsync(), await db.OutgoingMessages.CountAsync()));
}
