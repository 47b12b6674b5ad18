using Ciba.Domain.Organizations;

namespace Ciba.Domain.Tests;

public class OrganizationTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("acme-corp")]
    [InlineData("a1")]
    public void IsValidHandle_AcceptsLowercaseHandles(string handle)
    {
        Assert.True(Organization.IsValidHandle(handle));
    }

    [Theory]
    [InlineData("Demo")]
    [InlineData("-demo")]
    [InlineData("demo-")]
    [InlineData("a")]
    [InlineData("de mo")]
    [InlineData("../x")]
    public void IsValidHandle_RejectsOthers(string handle)
    {
        Assert.False(Organization.IsValidHandle(handle));
    }

    [Fact]
    public void Create_WithInvalidHandle_Throws()
    {
        Assert.Throws<ArgumentException>(() => Organization.Create("Not Valid", "x", DateTimeOffset.UnixEpoch));
    }
}
