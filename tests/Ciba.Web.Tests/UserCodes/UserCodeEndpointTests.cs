using System.Net;
using Ciba.Web.Tests.Protection;
using Ciba.Web.Tests.Protocol;
using Ciba.Web.Tests.ScaleOut;

namespace Ciba.Web.Tests.UserCodes;

/// <summary>product.md §12 <c>user_code</c> at the backchannel endpoint, over HTTP: every error, the order of errors, the lock.</summary>
public sealed class UserCodeEndpointTests(CibaWebFactoryWithoutDispatcher factory) : IClassFixture<CibaWebFactoryWithoutDispatcher>
{
    [Fact]
    public async Task Discovery_SaysUserCodesAreSupported()
    {
        using var client = new ProtocolClient(factory);
        using var response = await client.Http.GetAsync("/t/demo/oauth2/token/.well-known/openid-configuration");
        using var json = await ProtocolClient.ReadJsonAsync(response);
        Assert.True(json.RootElement.GetProperty("backchannel_user_code_parameter_supported").GetBoolean());
    }

    [Fact]
    public async Task RequiredCode_Right_IsAccepted()
    {
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
        using var client = new ProtocolClient(factory);
        using var response = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(), clientId: null);
        await ProtocolClient.AssertOkAsync(response);
    }

    [Fact]
    public async Task RequiredCode_Absent_IsMissingUserCode()
    {
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
        using var client = new ProtocolClient(factory);
        using var absent = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(userCode: null), clientId: null);
        using var empty = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(userCode: ""), clientId: null);
        await ProtocolClient.AssertOAuthErrorAsync(absent, HttpStatusCode.BadRequest, "missing_user_code");
        await ProtocolClient.AssertOAuthErrorAsync(empty, HttpStatusCode.BadRequest, "missing_user_code");
    }

    [Theory]
    [InlineData("1357")]
    [InlineData("24680")]
    [InlineData("abcd")]
    [InlineData("2468 ")]
    [InlineData("999999999999999999999999999999999999999999999999999")]
    public async Task RequiredCode_Wrong_IsInvalidUserCode(string code)
    {
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
        using var client = new ProtocolClient(factory);
        using var response = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(userCode: code), clientId: null);
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_user_code");
    }

    [Fact]
    public async Task RequiredCode_PersonWithoutACode_IsInvalidUserCode()
    {
        using var client = new ProtocolClient(factory);
        using var response = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest("bob", "1234"), clientId: null);
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_user_code");
    }

    [Fact]
    public async Task ErrorOrder_ClientThenRequestThenUserThenCode()
    {
        using var client = new ProtocolClient(factory);
        var badSecret = UserCodeTestData.CallCentreRequest(userCode: null);
        badSecret["client_secret"] = "wrong";
        var badScope = UserCodeTestData.CallCentreRequest(userCode: null);
        badScope["scope"] = "profile";
        var badMessage = UserCodeTestData.CallCentreRequest(userCode: "0000");
        badMessage["binding_message"] = "<b>";
        var unknownUser = UserCodeTestData.CallCentreRequest("nobody-at-all", userCode: null);

        using var first = await client.BackchannelAsync(badSecret, clientId: null);
        using var second = await client.BackchannelAsync(badScope, clientId: null);
        using var third = await client.BackchannelAsync(badMessage, clientId: null);
        using var fourth = await client.BackchannelAsync(unknownUser, clientId: null);

        await ProtocolClient.AssertOAuthErrorAsync(first, HttpStatusCode.Unauthorized, "invalid_client");
        await ProtocolClient.AssertOAuthErrorAsync(second, HttpStatusCode.BadRequest, "invalid_scope");
        await ProtocolClient.AssertOAuthErrorAsync(third, HttpStatusCode.BadRequest, "invalid_binding_message");
        await ProtocolClient.AssertOAuthErrorAsync(fourth, HttpStatusCode.BadRequest, "unknown_user_id");
    }

    [Fact]
    public async Task FiveWrongInARow_LockTheCodeForFifteenMinutes_WithNothingStoredOrSent()
    {
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
        using var client = new ProtocolClient(factory);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(userCode: "0000"), clientId: null);
            await ProtocolClient.AssertOAuthErrorAsync(wrong, HttpStatusCode.BadRequest, "invalid_user_code");
        }

        var stored = await ProtectionTestData.RequestCountAsync(factory.Services, "alice");
        var queued = await ProtectionTestData.OutboxCountAsync(factory.Services);

        // Locked: the right code is refused too, and nothing is stored or queued; on demo-tv (email and SMS) as well.
        using var locked = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(), clientId: null);
        var tvForm = ProtocolClient.SeedRequest();
        tvForm["login_hint"] = "alice";
        tvForm["user_code"] = UserCodeTestData.AliceCode;
        using var lockedOnTv = await client.BackchannelAsync(tvForm);
        await ProtocolClient.AssertOAuthErrorAsync(locked, HttpStatusCode.BadRequest, "invalid_user_code");
        await ProtocolClient.AssertOAuthErrorAsync(lockedOnTv, HttpStatusCode.BadRequest, "invalid_user_code");
        Assert.Equal(stored, await ProtectionTestData.RequestCountAsync(factory.Services, "alice"));
        Assert.Equal(queued, await ProtectionTestData.OutboxCountAsync(factory.Services));

        factory.Time.Advance(UserCodeLock - TimeSpan.FromSeconds(1));
        using var stillLocked = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(), clientId: null);
        await ProtocolClient.AssertOAuthErrorAsync(stillLocked, HttpStatusCode.BadRequest, "invalid_user_code");

        factory.Time.Advance(TimeSpan.FromSeconds(2));
        using var unlocked = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(), clientId: null);
        await ProtocolClient.AssertOkAsync(unlocked);
    }

    [Fact]
    public async Task RightCode_ResetsTheCount()
    {
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
        using var client = new ProtocolClient(factory);
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                using var wrong = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(userCode: "0000"), clientId: null);
                await ProtocolClient.AssertOAuthErrorAsync(wrong, HttpStatusCode.BadRequest, "invalid_user_code");
            }

            using var right = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(), clientId: null);
            await ProtocolClient.AssertOkAsync(right);
        }

        Assert.Equal(0, (await UserCodeTestData.ReadAsync(factory.Services))!.FailedAttempts);
    }

    [Fact]
    public async Task NotRequired_CodeSent_IsCheckedWhenThePersonHasOne()
    {
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
        using var client = new ProtocolClient(factory);
        var wrong = ProtocolClient.ExternalRequest("alice");
        wrong["user_code"] = "1111";
        var right = ProtocolClient.ExternalRequest("alice");
        right["user_code"] = UserCodeTestData.AliceCode;
        var none = ProtocolClient.ExternalRequest("alice");
        var bobWithCode = ProtocolClient.ExternalRequest("bob");
        bobWithCode["user_code"] = "1111";

        using var wrongResponse = await client.BackchannelAsync(wrong);
        using var rightResponse = await client.BackchannelAsync(right);
        using var noneResponse = await client.BackchannelAsync(none);
        using var bobResponse = await client.BackchannelAsync(bobWithCode);

        await ProtocolClient.AssertOAuthErrorAsync(wrongResponse, HttpStatusCode.BadRequest, "invalid_user_code");
        await ProtocolClient.AssertOkAsync(rightResponse);
        await ProtocolClient.AssertOkAsync(noneResponse);
        await ProtocolClient.AssertOkAsync(bobResponse);
    }

    [Fact]
    public async Task RefusedCodes_AreAudited_WithoutTheCode()
    {
        await UserCodeTestData.SetCodeAsync(factory.Services, factory.Time.GetUtcNow());
        using var client = new ProtocolClient(factory);
        using var response = await client.BackchannelAsync(UserCodeTestData.CallCentreRequest(userCode: "97531"), clientId: null);
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_user_code");

        var refusals = await ProtectionTestData.AuditAsync(factory.Services, "backchannel.refused");
        Assert.Contains(refusals, e => ProtectionTestData.Text(e).Contains("invalid_user_code", StringComparison.Ordinal));
        Assert.DoesNotContain(refusals, e => ProtectionTestData.Text(e).Contains("97531", StringComparison.Ordinal));
        var stored = await UserCodeTestData.ReadAsync(factory.Services);
        Assert.DoesNotContain("2468", stored!.Hash, StringComparison.Ordinal);
    }

    private static readonly TimeSpan UserCodeLock = Domain.Users.UserCode.LockDuration;
}

/// <summary>The wrong-code count is kept in PostgreSQL: two nodes over one database count together.</summary>
public sealed class UserCodeTwoNodeTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    [Fact]
    public async Task WrongCodes_OnTwoNodes_AddUpToTheLock()
    {
        await UserCodeTestData.SetCodeAsync(cluster.First.Services, cluster.Time.GetUtcNow());
        using var first = cluster.First.CreateClient(new CookieContainer());
        using var second = cluster.Second.CreateClient(new CookieContainer());
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await SendAsync(i % 2 == 0 ? first : second, "0000");
            await ProtocolClient.AssertOAuthErrorAsync(wrong, HttpStatusCode.BadRequest, "invalid_user_code");
        }

        using var rightOnFirst = await SendAsync(first, UserCodeTestData.AliceCode);
        using var rightOnSecond = await SendAsync(second, UserCodeTestData.AliceCode);
        await ProtocolClient.AssertOAuthErrorAsync(rightOnFirst, HttpStatusCode.BadRequest, "invalid_user_code");
        await ProtocolClient.AssertOAuthErrorAsync(rightOnSecond, HttpStatusCode.BadRequest, "invalid_user_code");
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string code) =>
        http.PostAsync(ProtocolClient.BackchannelPath, new FormUrlEncodedContent(UserCodeTestData.CallCentreRequest(userCode: code)));
}
