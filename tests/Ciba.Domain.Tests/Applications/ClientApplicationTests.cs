using Ciba.Domain.Applications;

namespace Ciba.Domain.Tests.Applications;

public class ClientApplicationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AllowsCiba_FollowsTheGrantTypes()
    {
        var application = ClientApplication.Create(Guid.NewGuid(), "TV", "tv", "hash", [GrantTypes.Ciba], CibaSettings.Default, Now);
        Assert.True(application.AllowsCiba);

        application.UpdateProtocol([], CibaSettings.Default, Now);
        Assert.False(application.AllowsCiba);
    }

    [Theory]
    [InlineData("authorization_code")]
    [InlineData("client_credentials")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    public void UpdateProtocol_WithAGrantTheTokenEndpointDoesNotServe_Throws(string grantType)
    {
        var application = ClientApplication.Create(Guid.NewGuid(), "TV", "tv", "hash", [GrantTypes.Ciba], CibaSettings.Default, Now);

        Assert.Throws<ArgumentException>(() => application.UpdateProtocol([GrantTypes.Ciba, grantType], CibaSettings.Default, Now));
        Assert.Equal([GrantTypes.Ciba], application.GrantTypes);
    }

    [Fact]
    public void UpdateProtocol_WithUnknownGrantType_Throws()
    {
        var application = ClientApplication.Create(Guid.NewGuid(), "TV", "tv", "hash", [GrantTypes.Ciba], CibaSettings.Default, Now);

        Assert.Throws<ArgumentException>(() => application.UpdateProtocol(["password"], CibaSettings.Default, Now));
        Assert.True(application.AllowsCiba);
    }

    [Fact]
    public void UpdateProtocol_WithDuplicateGrantTypes_KeepsOne()
    {
        var application = ClientApplication.Create(Guid.NewGuid(), "TV", "tv", "hash", [GrantTypes.Ciba, GrantTypes.Ciba], CibaSettings.Default, Now);

        Assert.Single(application.GrantTypes);
    }
}
