using Ciba.Application.Notifications;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Notifications.Templates;

namespace Ciba.Application.Tests.Notifications;

public class TemplateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private const string Link = "https://ciba.test/t/demo/oauth2/ciba_authorize?authCodeKey=abc_DEF-123";

    [Fact]
    public void EmailTemplate_WithMarkupInNames_EncodesThemInHtml()
    {
        var email = EmailTemplate.Render(Delivery("<script>alert(1)</script> TV", "<b>1234</b>"), Now);

        Assert.DoesNotContain("<script>", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>1234</b>", email.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; TV", email.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;1234&lt;/b&gt;", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void EmailTemplate_ForSignIn_CarriesNameCodeLinkAndExpiry()
    {
        var email = EmailTemplate.Render(Delivery("Living room TV", "1234"), Now.AddSeconds(1));

        Assert.Equal("Sign-in request from Living room TV", email.Subject);
        Assert.Contains("Living room TV", email.Text, StringComparison.Ordinal);
        Assert.Contains("Code: 1234", email.Text, StringComparison.Ordinal);
        Assert.Contains("check that it matches the code on your other device", email.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Link, email.Text, StringComparison.Ordinal);
        Assert.Contains("expires in 2 minutes", email.Text, StringComparison.Ordinal);
        Assert.Contains("check that it matches the code on your other device", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires in 2 minutes", email.Html, StringComparison.Ordinal);
        var encodedLink = Link.Replace("&", "&amp;", StringComparison.Ordinal);
        Assert.Equal(3, CountOf(email.Html, encodedLink));
    }

    [Fact]
    public void EmailTemplate_WithoutBindingMessage_LeavesOutTheCode()
    {
        var email = EmailTemplate.Render(Delivery("Kiosk", null), Now);

        Assert.DoesNotContain("Code:", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("other device", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void EmailTemplate_ForTestMessage_SaysItIsATest()
    {
        var email = EmailTemplate.Render(Delivery("Demo Org", null) with { IsTest = true }, Now);

        Assert.Equal("Test message from Demo Org", email.Subject);
        Assert.DoesNotContain("sign in", email.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SmsTemplate_ForSignIn_CarriesNameCodeLinkAndExpiry()
    {
        var text = SmsTemplate.Render(Delivery("Living room TV", "1234"), Now);

        Assert.Equal($"Living room TV sign-in request. Code: 1234. Approve or deny: {Link} (expires in 2 minutes)", text);
    }

    [Theory]
    [InlineData(120, "expires in 2 minutes")]
    [InlineData(119, "expires in 2 minutes")]
    [InlineData(60, "expires in 1 minute")]
    [InlineData(45, "expires in 45 seconds")]
    [InlineData(1, "expires in 1 second")]
    [InlineData(0, "has expired")]
    [InlineData(3600, "expires in 1 hour")]
    [InlineData(86400, "expires in 1 day")]
    public void ExpiryWording_ForTimeLeft_SaysItInWords(int secondsLeft, string expected)
    {
        Assert.Equal(expected, ExpiryWording.ExpiresIn(Now.AddSeconds(secondsLeft), Now));
    }

    private static NotificationDelivery Delivery(string applicationName, string? bindingMessage) =>
        new(Guid.NewGuid(), Guid.NewGuid(), MessageChannel.Email, "alice@demo.test",
            new NotificationContent(applicationName, bindingMessage, Link, Now.AddSeconds(120), Now), IsTest: false);

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
