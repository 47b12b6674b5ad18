using Ciba.Domain.Applications;

namespace Ciba.Domain.Tests.Applications;

public class CibaSettingsTests
{
    [Fact]
    public void Default_IsTheSeedsDefaults()
    {
        var settings = CibaSettings.Default;

        Assert.Equal(120, settings.ExpirySeconds);
        Assert.Equal(2, settings.PollingIntervalSeconds);
        Assert.Equal(NotificationChannels.Email | NotificationChannels.Sms | NotificationChannels.External, settings.Channels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(120)]
    [InlineData(86_400)]
    public void Create_WithExpiryInRange_Succeeds(int expiry)
    {
        var settings = CibaSettings.Create(expiry, NotificationChannels.Email, 2);

        Assert.Equal(expiry, settings.ExpirySeconds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(86_401)]
    public void Create_WithExpiryOutOfRange_Throws(int expiry)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => CibaSettings.Create(expiry, NotificationChannels.Email, 2));

        Assert.Equal("expirySeconds", exception.ParamName);
    }

    [Fact]
    public void Create_WithNoChannel_Throws()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => CibaSettings.Create(120, NotificationChannels.None, 2));

        Assert.Equal("channels", exception.ParamName);
    }

    [Fact]
    public void Create_WithUndefinedChannelBits_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CibaSettings.Create(120, (NotificationChannels)8, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void Create_WithPollingIntervalOutOfRange_Throws(int interval)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => CibaSettings.Create(120, NotificationChannels.External, interval));

        Assert.Equal("pollingIntervalSeconds", exception.ParamName);
    }

    [Fact]
    public void Allows_ReportsEachEnabledChannel()
    {
        var settings = CibaSettings.Create(120, NotificationChannels.Email | NotificationChannels.External, 2);

        Assert.True(settings.Allows(NotificationChannels.Email));
        Assert.True(settings.Allows(NotificationChannels.External));
        Assert.False(settings.Allows(NotificationChannels.Sms));
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.Equal(CibaSettings.Create(300, NotificationChannels.Sms, 5), CibaSettings.Create(300, NotificationChannels.Sms, 5));
    }
}
