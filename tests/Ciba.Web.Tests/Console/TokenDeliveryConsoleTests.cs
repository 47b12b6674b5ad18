using System.Net;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Console;

/// <summary>Issue 12 item 1: the Protocol tab's token delivery block, validated at save (product.md §11); item 5: each attempt on the deliveries page.</summary>
public sealed class TokenDeliveryConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    private const string ClientId = "demo-web";

    [Theory]
    [InlineData("Ping", "https://client.example.com/ciba/notify")]
    [InlineData("push", "https://client.example.com:8443/cb?tenant=7")]
    public async Task Save_PingOrPushWithHttpsEndpoint_IsStoredAndShown(string mode, string endpoint)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var application = await factory.ApplicationAsync(ClientId);

        using var response = await PostAsync(admin, application.Id, mode, endpoint);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await factory.ApplicationAsync(ClientId);
        Assert.Equal(Enum.Parse<TokenDeliveryMode>(mode, ignoreCase: true), saved.TokenDeliveryMode);
        Assert.Equal(endpoint, saved.ClientNotificationEndpoint);
        var page = await admin.GetPageAsync($"/t/demo/console/applications/{application.Id}/protocol");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(endpoint), page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ping", "", "Enter the client notification endpoint")]
    [InlineData("Push", "http://client.example.com/cb", "must be an https URL")]
    [InlineData("Ping", "https://client.example.com/cb#frag", "must not have a fragment")]
    [InlineData("Ping", "https://user:pass@client.example.com/cb", "must not contain user info")]
    [InlineData("Ping", "/relative/cb", "Enter an absolute URL")]
    [InlineData("Ping", "ftp://client.example.com/cb", "must be an https URL")]
    [InlineData("Push", "http://localhost:5199/cb", "must be an https URL")] // loopback http only in Development
    [InlineData("Sometimes", "https://client.example.com/cb", "Choose Poll, Ping or Push")]
    public async Task Save_InvalidDelivery_ShowsTheFieldError_AndChangesNothing(string mode, string endpoint, string error)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var application = await factory.ApplicationAsync(ClientId);
        var before = (application.TokenDeliveryMode, application.ClientNotificationEndpoint);

        using var response = await PostAsync(admin, application.Id, mode, endpoint);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(System.Net.WebUtility.HtmlEncode(error), page, StringComparison.Ordinal);
        var after = await factory.ApplicationAsync(ClientId);
        Assert.Equal(before, (after.TokenDeliveryMode, after.ClientNotificationEndpoint));
    }

    [Fact]
    public async Task Save_Poll_ForgetsTheEndpoint()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var application = await factory.ApplicationAsync(ClientId);
        using (await PostAsync(admin, application.Id, "Ping", "https://client.example.com/n"))
        {
        }

        using var response = await PostAsync(admin, application.Id, "Poll", "https://client.example.com/n");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await factory.ApplicationAsync(ClientId);
        Assert.Equal(TokenDeliveryMode.Poll, saved.TokenDeliveryMode);
        Assert.Null(saved.ClientNotificationEndpoint);
    }

    [Fact]
    public async Task DeliveriesPage_ShowsEachAttemptOfACallback_WithItsOutcomeAndError()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var messageId = await SeedCallbackWithTwoAttemptsAsync();

        var list = await admin.GetPageAsync("/t/demo/console/activity/deliveries");
        Assert.Contains($"/t/demo/console/activity/deliveries/{messageId}", list, StringComparison.Ordinal);
        Assert.Contains("Ping callback", list, StringComparison.Ordinal);

        var page = await admin.GetPageAsync($"/t/demo/console/activity/deliveries/{messageId}");
        Assert.Contains("Client notification endpoint: http 5xx (HTTP 503).", page, StringComparison.Ordinal);
        Assert.Contains("Failed; retry scheduled", page, StringComparison.Ordinal);
        Assert.Contains("Delivered", page, StringComparison.Ordinal);
        Assert.Contains("HTTP 204", page, StringComparison.Ordinal);
        Assert.Contains("https://client.example.com/notify", page, StringComparison.Ordinal);
        Assert.DoesNotContain("secret=1", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveriesPage_AnotherOrganizationsMessage_IsNotFound()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        using var response = await admin.GetAsync($"/t/demo/console/activity/deliveries/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(ConsoleSession admin, Guid applicationId, string mode, string endpoint) =>
        admin.PostFormAsync(
            $"/t/demo/console/applications/{applicationId}/protocol/delivery",
            [new("TokenDeliveryMode", mode), new("ClientNotificationEndpoint", endpoint)],
            formPage: $"/t/demo/console/applications/{applicationId}/protocol");

    private async Task<Guid> SeedCallbackWithTwoAttemptsAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Handle == "demo");
        var now = factory.Time.GetUtcNow();
        var message = OutgoingMessage.Create(organization.Id, null, MessageChannel.Ping, "https://client.example.com/notify?secret=1", "protected", now.AddMinutes(2), now);
        db.OutgoingMessages.Add(message);
        message.ScheduleRetry("Client notification endpoint: http 5xx (HTTP 503).", now.AddSeconds(2), now);
        db.DeliveryAttempts.Add(DeliveryAttempt.Of(message, now));
        message.MarkSent("HTTP 204", now.AddSeconds(2));
        db.DeliveryAttempts.Add(DeliveryAttempt.Of(message, now.AddSeconds(2)));
        await db.SaveChangesAsync();
        return message.Id;
    }
}
