using System.Text.Json;
using Ciba.Application.Notifications;
using Ciba.Infrastructure.Notifications.Senders;
using Ciba.Infrastructure.Notifications.Templates;
using Ciba.Testing;

namespace Ciba.Application.Tests.Notifications;

public class SendGridEmailSenderTests : IClassFixture<ProviderAdapters>, IAsyncLifetime
{
    private static readonly RenderedEmail Email = new("Sign-in request from Living room TV", "<p>Hello <b>there</b></p>", "Hello there");

    private readonly ProviderAdapters _adapters;
    private readonly RecordingHttpServer _server = RecordingHttpServer.Start();

    public SendGridEmailSenderTests(ProviderAdapters adapters) => _adapters = adapters;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SendAsync_WhenAccepted_PostsV3MailSendAndReturnsMessageId()
    {
        _server.Enqueue(202, string.Empty, headers: new Dictionary<string, string> { ["X-Message-Id"] = "sg-message-1" });

        var outcome = await SendAsync();

        Assert.Equal(SendOutcomeKind.Sent, outcome.Kind);
        Assert.Equal("sg-message-1", outcome.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer SG.test-api-key", request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("alice@demo.test", root.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString());
        Assert.Equal("no-reply@ciba.test", root.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal("Ciba Demo", root.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal("Sign-in request from Living room TV", root.GetProperty("subject").GetString());
        var content = root.GetProperty("content").EnumerateArray().ToDictionary(c => c.GetProperty("type").GetString()!, c => c.GetProperty("value").GetString());
        Assert.Equal("Hello there", content["text/plain"]);
        Assert.Equal("<p>Hello <b>there</b></p>", content["text/html"]);
    }

    [Fact]
    public async Task SendAsync_WhenProviderDoesNotAnswerInTime_ReturnsTransient()
    {
        _server.Enqueue(202, string.Empty, delay: ProviderAdapters.ProviderTimeout + TimeSpan.FromSeconds(3));

        var outcome = await SendAsync();

        Assert.Equal(SendOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("timeout", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, SendOutcomeKind.Transient)]
    [InlineData(500, SendOutcomeKind.Transient)]
    [InlineData(503, SendOutcomeKind.Transient)]
    [InlineData(401, SendOutcomeKind.Permanent)]
    [InlineData(403, SendOutcomeKind.Permanent)]
    [InlineData(400, SendOutcomeKind.Permanent)]
    public async Task SendAsync_WhenProviderAnswersError_ClassifiesByStatus(int status, SendOutcomeKind expected)
    {
        _server.Enqueue(status, """{"errors":[{"message":"The provided authorization grant is invalid"}]}""");

        var outcome = await SendAsync();

        Assert.Equal(expected, outcome.Kind);
        Assert.Contains($"HTTP {status}", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("SG.test-api-key", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WhenProviderIsUnreachable_ReturnsTransient()
    {
        var unreachable = RecordingHttpServer.Start();
        var baseUrl = unreachable.BaseUrl;
        await unreachable.DisposeAsync();

        var outcome = await _adapters.SendGrid.SendAsync(Settings(baseUrl), "alice@demo.test", Email, CancellationToken.None);

        Assert.Equal(SendOutcomeKind.Transient, outcome.Kind);
    }

    private Task<SendOutcome> SendAsync() =>
        _adapters.SendGrid.SendAsync(Settings(_server.BaseUrl), "alice@demo.test", Email, CancellationToken.None);

    private static SendGridSettings Settings(string baseUrl) => new("SG.test-api-key", "no-reply@ciba.test", "Ciba Demo", baseUrl + "/");
}
