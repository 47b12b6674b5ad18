using Ciba.Web.Consent;

namespace Ciba.Web.Tests.Consent;

public class ConsentWordingTests
{
    [Theory]
    [InlineData(100, "Expires in 1 minute 40 seconds")]
    [InlineData(120, "Expires in 2 minutes")]
    [InlineData(61, "Expires in 1 minute 1 second")]
    [InlineData(59.2, "Expires in 1 minute")]
    [InlineData(45, "Expires in 45 seconds")]
    [InlineData(3600, "Expires in 1 hour")]
    [InlineData(86399, "Expires in 23 hours 59 minutes")]
    [InlineData(0, "Expires now")]
    public void ExpiryText_OfTimeLeft_ReadsNaturally(double seconds, string expected)
    {
        Assert.Equal(expected, ExpiryText.Describe(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData("openid", "confirm who you are")]
    [InlineData("profile", "see your name and username")]
    [InlineData("email", "see your email address")]
    [InlineData("phone", "see your phone number")]
    public void ScopeDescriptions_OfStandardScopes_ArePlainWords(string scope, string expected)
    {
        Assert.Equal(expected, ScopeDescriptions.Describe(scope));
    }
}
