using Ciba.Domain.Users;

namespace Ciba.Domain.Tests.Users;

public class EmailAddressTests
{
    [Theory]
    [InlineData("alice@demo.test", "a•••@demo.test")]
    [InlineData("b@x.io", "b•••@x.io")]
    [InlineData("no-at-sign", "•••")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Mask_KeepsFirstCharacterAndDomain(string? address, string expected)
    {
        Assert.Equal(expected, EmailAddress.Mask(address));
    }
}
