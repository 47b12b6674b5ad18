using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;

namespace Ciba.Domain.Tests.Backchannel;

/// <summary>Issue 12: the request's callback details and push's consumption of the grant (ADR 0024).</summary>
public class CallbackTransitionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid UserId = Guid.NewGuid();

    private static BackchannelAuthenticationRequest NewRequest(TokenDeliveryMode mode)
    {
        var request = BackchannelAuthenticationRequest.Create(
            Guid.NewGuid(), Guid.NewGuid(), UserId, new byte[32], new byte[32], "openid", null,
            NotificationChannels.External, 120, 2, Start);
        request.AttachCallback(mode, "protected");
        return request;
    }

    [Fact]
    public void TakeCallback_HandsTheDetailsOverOnce_ThenForgetsThem()
    {
        var request = NewRequest(TokenDeliveryMode.Ping);

        Assert.Equal("protected", request.TakeCallback());
        Assert.Null(request.ProtectedCallback);
        Assert.Null(request.TakeCallback());
    }

    [Fact]
    public void AttachCallback_InPollMode_IsRefused()
    {
        var request = BackchannelAuthenticationRequest.Create(
            Guid.NewGuid(), Guid.NewGuid(), UserId, new byte[32], new byte[32], "openid", null,
            NotificationChannels.External, 120, 2, Start);
        Assert.Throws<InvalidOperationException>(() => request.AttachCallback(TokenDeliveryMode.Poll, "protected"));
    }

    [Fact]
    public void ConsumeForPush_AfterApproval_RedeemsTheGrant_SoAPollFindsItUsed()
    {
        var request = NewRequest(TokenDeliveryMode.Push);
        request.Approve(UserId, Start, Start.AddSeconds(5));

        request.ConsumeForPush(Start.AddSeconds(5));

        Assert.Equal(BackchannelRequestStatus.Redeemed, request.Status);
        Assert.Equal(PollOutcome.AlreadyRedeemed, request.Poll(Start.AddSeconds(10)));
    }

    [Fact]
    public void ConsumeForPush_ForAPingRequestOrBeforeApproval_IsRefused()
    {
        var ping = NewRequest(TokenDeliveryMode.Ping);
        ping.Approve(UserId, Start, Start);
        Assert.Throws<InvalidOperationException>(() => ping.ConsumeForPush(Start));

        var pending = NewRequest(TokenDeliveryMode.Push);
        Assert.Throws<InvalidOperationException>(() => pending.ConsumeForPush(Start));
    }

    [Fact]
    public void HasExpiredCallback_OnlyForPendingRequestsPastExpiryStillHoldingDetails()
    {
        var request = NewRequest(TokenDeliveryMode.Push);
        Assert.False(request.HasExpiredCallback(Start.AddSeconds(119)));
        Assert.True(request.HasExpiredCallback(Start.AddSeconds(120)));
        request.TakeCallback();
        Assert.False(request.HasExpiredCallback(Start.AddSeconds(120)));
    }

    [Fact]
    public void UpdateTokenDelivery_PollForgetsTheEndpoint_PingNeedsOne()
    {
        var application = ClientApplication.Create(Guid.NewGuid(), "App", "app", "hash", [GrantTypes.Ciba], CibaSettings.Default, Start);
        application.UpdateTokenDelivery(TokenDeliveryMode.Ping, "https://client.example.com/n", Start);
        Assert.Equal("https://client.example.com/n", application.ClientNotificationEndpoint);

        application.UpdateTokenDelivery(TokenDeliveryMode.Poll, "https://client.example.com/n", Start);
        Assert.Null(application.ClientNotificationEndpoint);
        Assert.Throws<ArgumentException>(() => application.UpdateTokenDelivery(TokenDeliveryMode.Push, null, Start));
        Assert.Throws<ArgumentException>(() => application.UpdateTokenDelivery(TokenDeliveryMode.Push, "https://x.example/" + new string('a', 400), Start));
    }
}
