using Ciba.Domain.Users;

namespace Ciba.Domain.Tests.Users;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("+15550100001", "+15550100001")]
    [InlineData("+1 (555) 010-0001", "+15550100001")]
    [InlineData("0044 20 7946 0000", "+442079460000")]
    public void NormalizeToE164_AcceptsCommonForms(string input, string expected)
    {
        Assert.Equal(expected, PhoneNumber.NormalizeToE164(input));
    }

    [Theory]
    [InlineData("5550100001")]
    [InlineData("+0123456789")]
    [InlineData("+1555abc0001")]
    [InlineData("+1")]
    [InlineData("")]
    [InlineData(null)]
    public void NormalizeToE164_RejectsWhatIsNotE164(string? input)
    {
        Assert.Null(PhoneNumber.NormalizeToE164(input));
    }

    [Fact]
    public void Mask_HidesTheMiddle()
    {
        Assert.Equal("+1555•••0001", PhoneNumber.Mask("+15550100001"));
    }
}
