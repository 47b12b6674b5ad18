using Ciba.Application.Notifications;
using Ciba.Infrastructure.Notifications.Senders;
using Ciba.Testing;

namespace Ciba.Application.Tests.Notifications;

public class VonageSmsSenderTests : IClassFixture<ProviderAdapters>, IAsyncLifetime
{
    private readonly ProviderAdapters _adapters;
    private readonly RecordingHttpServer _server = RecordingHttpServer.Start();

    public VonageSmsSenderTests(ProviderAdapters adapters) => _adapters = adapters;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SendAsync_WhenAccepted_PostsFormAndReturnsMessageId()
    {
        _server.Enqueue(200, """
            {"message-count":"1","messages":[{"to":"15550100001","message-id":"0A0000000123ABCD1","status":"0","remaining-balance":"3.14","message-price":"0.03","network":"310260"}]}
            """);

        var outcome = await SendAsync("Living room TV sign-in request. Code: 1234.");

        Assert.Equal(SendOutcomeKind.Sent, outcome.Kind);
        Assert.Equal("0A0000000123ABCD1", outcome.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/sms/json", request.Path);
        Assert.Equal(string.Empty, request.Query);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        var form = request.Form;
        Assert.Equal(new[] { "api_key", "api_secret", "from", "to", "text" }, form.AllKeys.OfType<string>());
        Assert.Equal("vonage-key", form["api_key"]);
        Assert.Equal("vonage-secret", form["api_secret"]);
        Assert.Equal("CibaDemo", form["from"]);
        Assert.Equal("15550100001", form["to"]);
        Assert.Equal("Living room TV sign-in request. Code: 1234.", form["text"]);
    }

    [Fact]
    public async Task SendAsync_WhenTextIsNotGsm7_SendsUnicodeType()
    {
        _server.Enqueue(200, """{"messages":[{"status":"0","message-id":"id-1"}]}""");

        await SendAsync("Código 猫 1234");

        Assert.Equal("unicode", Assert.Single(_server.Requests).Form["type"]);
    }

    [Fact]
    public async Task SendAsync_WhenSplitIntoParts_ReturnsEveryPartId()
    {
        _server.Enqueue(200, """{"message-count":"2","messages":[{"status":"0","message-id":"part-1"},{"status":"0","message-id":"part-2"}]}""");

        var outcome = await SendAsync(new string('a', 200));

        Assert.Equal("part-1,part-2", outcome.ProviderMessageId);
    }

    [Theory]
    [InlineData("1", "Throttled", SendOutcomeKind.Transient)]
    [InlineData("5", "Internal Error", SendOutcomeKind.Transient)]
    [InlineData("10", "Too many existing binds", SendOutcomeKind.Transient)]
    [InlineData("2", "Missing to param", SendOutcomeKind.Permanent)]
    [InlineData("3", "Invalid to param", SendOutcomeKind.Permanent)]
    [InlineData("4", "Bad Credentials", SendOutcomeKind.Permanent)]
    [InlineData("6", "Unroutable message - rejected", SendOutcomeKind.Permanent)]
    [InlineData("9", "Quota Exceeded - rejected", SendOutcomeKind.Permanent)]
    [InlineData("15", "Illegal Sender Address - rejected", SendOutcomeKind.Permanent)]
    [InlineData("29", "Non White-listed Destination - rejected", SendOutcomeKind.Permanent)]
    public async Task SendAsync_WhenVonageReportsStatus_ClassifiesIt(string status, string errorText, SendOutcomeKind expected)
    {
        _server.Enqueue(200, $$"""{"message-count":"1","messages":[{"status":"{{status}}","error-text":"answer-text {{errorText}}"}]}""");

        var outcome = await SendAsync("hello");

        Assert.Equal(expected, outcome.Kind);
        Assert.StartsWith($"Vonage status {status}: ", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("answer-text", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, SendOutcomeKind.Transient)]
    [InlineData(500, SendOutcomeKind.Transient)]
    [InlineData(502, SendOutcomeKind.Transient)]
    [InlineData(401, SendOutcomeKind.Permanent)]
    [InlineData(404, SendOutcomeKind.Permanent)]
    public async Task SendAsync_WhenHttpStatusIsAnError_ClassifiesByStatus(int status, SendOutcomeKind expected)
    {
        _server.Enqueue(status, """{"type":"https://developer.nexmo.com/api-errors#unauthorized","title":"Unauthorized"}""");

        var outcome = await SendAsync("hello");

        Assert.Equal(expected, outcome.Kind);
        Assert.Contains($"HTTP {status}", outcome.Error, StringComparison.Ordinal);
        Assert.Contains(status >= 500 ? "http 5xx" : "http 4xx", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unauthorized", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WhenProviderDoesNotAnswerInTime_ReturnsTransient()
    {
        _server.Enqueue(200, """{"messages":[{"status":"0","message-id":"late"}]}""", delay: ProviderAdapters.ProviderTimeout + TimeSpan.FromSeconds(3));

        var outcome = await SendAsync("hello");

        Assert.Equal(SendOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("timeout", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WhenBodyIsNotVonageJson_ReturnsTransient()
    {
        _server.Enqueue(200, "<html>gateway</html>", "text/html");

        var outcome = await SendAsync("hello");

        Assert.Equal(SendOutcomeKind.Transient, outcome.Kind);
    }

    private Task<SendOutcome> SendAsync(string text) =>
        _adapters.Vonage.SendAsync(new VonageSettings("vonage-key", "vonage-secret", "CibaDemo", _server.BaseUrl), "+15550100001", text, CancellationToken.None);
}
