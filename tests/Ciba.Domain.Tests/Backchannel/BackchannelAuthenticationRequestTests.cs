using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;

namespace Ciba.Domain.Tests.Backchannel;

public class BackchannelAuthenticationRequestTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid UserId = Guid.NewGuid();

    private static BackchannelAuthenticationRequest NewRequest(int expiresIn = 120, int interval = 2) =>
        BackchannelAuthenticationRequest.Create(
            Guid.NewGuid(), Guid.NewGuid(), UserId, new byte[32], new byte[32], "openid profile", "1234",
            NotificationChannels.External, expiresIn, interval, Start);

    [Fact]
    public void Poll_FirstPollImmediately_ReturnsPending()
    {
        var request = NewRequest();

        Assert.Equal(PollOutcome.Pending, request.Poll(Start));
    }

    [Fact]
    public void Poll_SoonerThanInterval_ReturnsSlowDownAndGrowsIntervalByFive()
    {
        var request = NewRequest(interval: 2);
        request.Poll(Start);

        var outcome = request.Poll(Start.AddSeconds(1));

        Assert.Equal(PollOutcome.SlowDown, outcome);
        Assert.Equal(7, request.IntervalSeconds);
        Assert.True(request.LastPollTooSoon);

        request.Poll(Start.AddSeconds(9));
        Assert.False(request.LastPollTooSoon);
    }

    [Fact]
    public void Poll_AfterInterval_ReturnsPending()
    {
        var request = NewRequest(interval: 2);
        request.Poll(Start);

        Assert.Equal(PollOutcome.Pending, request.Poll(Start.AddSeconds(2)));
    }

    [Theory]
    [InlineData(1, 800)]
    [InlineData(2, 1600)]
    [InlineData(2, 1999)]
    [InlineData(5, 4000)]
    [InlineData(30, 29000)]
    public void Poll_WithinTheJitterToleranceOfTheInterval_ReturnsPending(int interval, int millisecondsAfter)
    {
        var request = NewRequest(interval: interval);
        request.Poll(Start);

        Assert.Equal(PollOutcome.Pending, request.Poll(Start.AddMilliseconds(millisecondsAfter)));
        Assert.Equal(interval, request.IntervalSeconds);
    }

    [Theory]
    [InlineData(1, 799)]
    [InlineData(2, 1599)]
    [InlineData(5, 3999)]
    [InlineData(30, 28999)]
    public void Poll_EarlierThanTheTolerance_ReturnsSlowDown(int interval, int millisecondsAfter)
    {
        var request = NewRequest(interval: interval);
        request.Poll(Start);

        Assert.Equal(PollOutcome.SlowDown, request.Poll(Start.AddMilliseconds(millisecondsAfter)));
        Assert.Equal(interval + 5, request.IntervalSeconds);
    }

    [Fact]
    public void Create_BindingMessageOf64EmojiWithin256Bytes_IsAccepted()
    {
        var message = string.Concat(Enumerable.Repeat("😀", 64));

        var request = BackchannelAuthenticationRequest.Create(
            Guid.NewGuid(), Guid.NewGuid(), UserId, new byte[32], new byte[32], "openid", message, NotificationChannels.External, 120, 2, Start);

        Assert.Equal(message, request.BindingMessage);
    }

    [Fact]
    public void Create_BindingMessageOver256Bytes_Throws()
    {
        var message = string.Concat(Enumerable.Repeat("😀", 65));

        Assert.Throws<ArgumentOutOfRangeException>(() => BackchannelAuthenticationRequest.Create(
            Guid.NewGuid(), Guid.NewGuid(), UserId, new byte[32], new byte[32], "openid", message, NotificationChannels.External, 120, 2, Start));
    }

    [Fact]
    public void Poll_WhenApproved_RedeemsOnce()
    {
        var request = NewRequest();
        Assert.Equal(DecisionOutcome.Recorded, request.Approve(UserId, Start, Start.AddSeconds(5)));

        Assert.Equal(PollOutcome.Redeemed, request.Poll(Start.AddSeconds(10)));
        Assert.Equal(BackchannelRequestStatus.Redeemed, request.Status);
        Assert.Equal(PollOutcome.AlreadyRedeemed, request.Poll(Start.AddSeconds(20)));
    }

    [Fact]
    public void Poll_WhenDenied_ReturnsDenied()
    {
        var request = NewRequest();
        request.Deny(UserId, Start.AddSeconds(1));

        Assert.Equal(PollOutcome.Denied, request.Poll(Start.AddSeconds(5)));
    }

    [Fact]
    public void Poll_AtExpiry_ReturnsExpiredEvenWhenApproved()
    {
        var request = NewRequest(expiresIn: 10);
        request.Approve(UserId, Start, Start.AddSeconds(1));

        Assert.Equal(PollOutcome.Expired, request.Poll(Start.AddSeconds(10)));
    }

    [Fact]
    public void Poll_DeniedAndTooSoon_ReturnsDeniedFirst()
    {
        var request = NewRequest();
        request.Poll(Start);
        request.Deny(UserId, Start);

        Assert.Equal(PollOutcome.Denied, request.Poll(Start));
    }

    [Fact]
    public void Approve_ByAnotherUser_IsRefusedAndChangesNothing()
    {
        var request = NewRequest();

        Assert.Equal(DecisionOutcome.WrongUser, request.Approve(Guid.NewGuid(), Start, Start));
        Assert.Equal(BackchannelRequestStatus.Pending, request.Status);
    }

    [Fact]
    public void Approve_AfterExpiry_IsRefused()
    {
        var request = NewRequest(expiresIn: 10);

        Assert.Equal(DecisionOutcome.Expired, request.Approve(UserId, Start, Start.AddSeconds(11)));
    }

    [Fact]
    public void Deny_AfterApprove_IsRefused()
    {
        var request = NewRequest();
        request.Approve(UserId, Start, Start);

        Assert.Equal(DecisionOutcome.AlreadyDecided, request.Deny(UserId, Start));
        Assert.Equal(BackchannelRequestStatus.Approved, request.Status);
    }

    [Fact]
    public void Create_SetsExpiryFromNow()
    {
        var request = NewRequest(expiresIn: 30);

        Assert.Equal(Start.AddSeconds(30), request.ExpiresAt);
        Assert.True(request.IsAwaitingDecision(Start.AddSeconds(29)));
        Assert.False(request.IsAwaitingDecision(Start.AddSeconds(30)));
    }
}
