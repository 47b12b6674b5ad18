using Ciba.Domain.Applications;

namespace Ciba.Domain.Tests.Applications;

/// <summary>product.md §4: which channels a request uses.</summary>
public class ChannelSelectionTests
{
    private static readonly CibaSettings All = CibaSettings.Default;

    [Fact]
    public void SelectChannels_NamedExternal_IsExternalWhateverReaches()
    {
        var selection = All.SelectChannels(NotificationChannels.External, new ChannelReach(Email: false, Sms: false));

        Assert.True(selection.IsSuccess);
        Assert.Equal(NotificationChannels.External, selection.Channels);
    }

    [Fact]
    public void SelectChannels_NoneNamedAndOnlyExternalEnabled_IsExternal()
    {
        var settings = CibaSettings.Create(120, NotificationChannels.External, 2);

        var selection = settings.SelectChannels(null, new ChannelReach(Email: true, Sms: true));

        Assert.Equal(NotificationChannels.External, selection.Channels);
    }

    [Theory]
    [InlineData(NotificationChannels.Email, false, true, ChannelSelectionFailure.EmailUnreachable)]
    [InlineData(NotificationChannels.Sms, true, false, ChannelSelectionFailure.SmsUnreachable)]
    public void SelectChannels_NamedChannelThatCannotReach_Fails(NotificationChannels named, bool email, bool sms, ChannelSelectionFailure failure)
    {
        var selection = All.SelectChannels(named, new ChannelReach(email, sms));

        Assert.False(selection.IsSuccess);
        Assert.Equal(failure, selection.Failure);
        Assert.Equal(NotificationChannels.None, selection.Channels);
    }

    [Fact]
    public void SelectChannels_NamedEmailThatReaches_IsEmailAlone()
    {
        var selection = All.SelectChannels(NotificationChannels.Email, new ChannelReach(Email: true, Sms: true));

        Assert.Equal(NotificationChannels.Email, selection.Channels);
    }

    [Fact]
    public void SelectChannels_NoneNamed_IsEveryEnabledChannelThatReaches()
    {
        Assert.Equal(NotificationChannels.Email | NotificationChannels.Sms, All.SelectChannels(null, new ChannelReach(true, true)).Channels);
        Assert.Equal(NotificationChannels.Sms, All.SelectChannels(null, new ChannelReach(false, true)).Channels);

        var emailOnly = CibaSettings.Create(120, NotificationChannels.Email | NotificationChannels.External, 2);
        Assert.Equal(NotificationChannels.Email, emailOnly.SelectChannels(null, new ChannelReach(true, true)).Channels);
    }

    [Fact]
    public void SelectChannels_NoneNamedAndNothingEnabledReaches_Fails()
    {
        var smsOnly = CibaSettings.Create(120, NotificationChannels.Sms, 2);

        var selection = smsOnly.SelectChannels(null, new ChannelReach(Email: true, Sms: false));

        Assert.Equal(ChannelSelectionFailure.NothingReachable, selection.Failure);
    }
}
