using Ciba.Application.Common.Paging;
using System.Text.Json;
using Ciba.Application.Common.Results;
using Ciba.Application.Notifications.Deliveries;
using Ciba.Application.Notifications.Providers.GetProviders;
using Ciba.Application.Notifications.Providers.SendTest;
using Ciba.Application.Notifications.Providers.UpdateEmail;
using Ciba.Application.Notifications.Providers.UpdateSms;
using Ciba.Domain.Notifications;
using Ciba.Testing;
using Npgsql;

namespace Ciba.Application.Tests.Notifications;

public class ProviderSettingsTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private const string SendGridKey = "SG.clear-api-key-0123456789";
    private const string VonageSecret = "vonage-clear-secret-42";

    private readonly NotificationScenario _scenario = new(fixture);
    private readonly RecordingHttpServer _server = RecordingHttpServer.Start();
    private Guid _organizationId;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _organizationId = await _scenario.CreateOrganizationAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetProviders_WhenNothingConfigured_ReturnsNone()
    {
        var view = (await fixture.SendAsync(_organizationId, new GetNotificationProvidersQuery(_organizationId))).Value;

        Assert.Equal(EmailProviderKind.None, view.Email.Provider);
        Assert.Equal(SmsProviderKind.None, view.Sms.Provider);
        Assert.Equal("https://api.sendgrid.com", view.Email.DefaultBaseUrl);
        Assert.Equal("https://rest.nexmo.com", view.Sms.DefaultBaseUrl);
    }

    [Fact]
    public async Task UpdateEmailProvider_WithSendGrid_StoresKeyEncryptedAndNeverReturnsIt()
    {
        var result = await fixture.SendAsync(_organizationId, new UpdateEmailProviderCommand(
            _organizationId, EmailProviderKind.SendGrid, SendGridKey, "no-reply@demo.test", "Demo", "https://api.eu.sendgrid.com"));

        Assert.True(result.IsSuccess);
        var stored = await ReadColumnAsync("SendGridProtectedApiKey");
        Assert.False(string.IsNullOrEmpty(stored));
        Assert.DoesNotContain(SendGridKey, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("clear-api-key", await ReadWholeRowAsync(), StringComparison.Ordinal);
        var view = (await fixture.SendAsync(_organizationId, new GetNotificationProvidersQuery(_organizationId))).Value;
        Assert.Equal(EmailProviderKind.SendGrid, view.Email.Provider);
        Assert.True(view.Email.HasApiKey);
        Assert.Equal("no-reply@demo.test", view.Email.FromAddress);
        Assert.Equal("https://api.eu.sendgrid.com", view.Email.BaseUrl);
        Assert.DoesNotContain("clear-api-key", JsonSerializer.Serialize(view), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateEmailProvider_WithBlankKey_KeepsTheStoredKey()
    {
        await fixture.SendAsync(_organizationId, new UpdateEmailProviderCommand(
            _organizationId, EmailProviderKind.SendGrid, SendGridKey, "no-reply@demo.test", "Demo", _server.BaseUrl));
        var result = await fixture.SendAsync(_organizationId, new UpdateEmailProviderCommand(
            _organizationId, EmailProviderKind.SendGrid, "  ", "other@demo.test", "Demo", _server.BaseUrl));
        Assert.True(result.IsSuccess);
        _server.Enqueue(202, string.Empty, headers: new Dictionary<string, string> { ["X-Message-Id"] = "sg-1" });

        await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Email, "alice@demo.test");
        await _scenario.Dispatcher.DispatchOnceAsync();

        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer " + SendGridKey, request.Headers["Authorization"]);
        Assert.Contains("other@demo.test", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateEmailProvider_WithBlankKeyAndNoneStored_FailsOnApiKey()
    {
        var result = await fixture.SendAsync(_organizationId, new UpdateEmailProviderCommand(
            _organizationId, EmailProviderKind.SendGrid, null, "no-reply@demo.test"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.Validation, result.Error.Code);
        Assert.Equal("ApiKey", Assert.Single(result.Error.Fields).Field);
    }

    [Fact]
    public async Task UpdateEmailProvider_WithInvalidFields_ReturnsFieldErrors()
    {
        var result = await fixture.SendAsync(_organizationId, new UpdateEmailProviderCommand(
            _organizationId, EmailProviderKind.SendGrid, SendGridKey, "not-an-address", "Demo", "ftp://files.example"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.Validation, result.Error.Code);
        Assert.Equal(["BaseUrl", "FromAddress"], result.Error.Fields.Select(f => f.Field).Order());
    }

    [Fact]
    public async Task UpdateEmailProvider_ToDevelopmentInbox_NeedsNoSettings()
    {
        var result = await fixture.SendAsync(_organizationId, new UpdateEmailProviderCommand(_organizationId, EmailProviderKind.DevelopmentInbox));

        Assert.True(result.IsSuccess);
        var view = (await fixture.SendAsync(_organizationId, new GetNotificationProvidersQuery(_organizationId))).Value;
        Assert.Equal(EmailProviderKind.DevelopmentInbox, view.Email.Provider);
    }

    [Fact]
    public async Task UpdateSmsProvider_WithVonage_StoresSecretEncryptedAndNeverReturnsIt()
    {
        var result = await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(
            _organizationId, SmsProviderKind.Vonage, "vonage-key", VonageSecret, "CibaDemo", null));

        Assert.True(result.IsSuccess);
        Assert.DoesNotContain(VonageSecret, await ReadWholeRowAsync(), StringComparison.Ordinal);
        var view = (await fixture.SendAsync(_organizationId, new GetNotificationProvidersQuery(_organizationId))).Value;
        Assert.Equal(SmsProviderKind.Vonage, view.Sms.Provider);
        Assert.Equal("vonage-key", view.Sms.ApiKey);
        Assert.True(view.Sms.HasApiSecret);
        Assert.Null(view.Sms.BaseUrl);
        Assert.DoesNotContain(VonageSecret, JsonSerializer.Serialize(view), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateSmsProvider_WithMissingFields_ReturnsFieldErrors()
    {
        var result = await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(
            _organizationId, SmsProviderKind.Vonage, "", VonageSecret, "", "not a url"));

        Assert.False(result.IsSuccess);
        Assert.Equal(["ApiKey", "BaseUrl", "From"], result.Error.Fields.Select(f => f.Field).Order());
    }

    [Fact]
    public async Task SendTestMessage_WithSmsProvider_QueuesItAndDeliveryShowsTheOutcome()
    {
        _server.DefaultResponse = new ScriptedResponse(200, """{"messages":[{"status":"0","message-id":"test-1"}]}""");
        await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(
            _organizationId, SmsProviderKind.Vonage, "vonage-key", VonageSecret, "CibaDemo", _server.BaseUrl));

        var queued = await fixture.SendAsync(_organizationId, new SendTestMessageCommand(_organizationId, MessageChannel.Sms, "+1 (555) 010-0001"));

        Assert.True(queued.IsSuccess);
        var pending = (await fixture.SendAsync(_organizationId, new GetDeliveryQuery(_organizationId, queued.Value))).Value;
        Assert.Equal(DeliveryStatus.Pending, pending.Status);
        Assert.Null(pending.BackchannelRequestId);
        Assert.Equal("+1555•••0001", pending.Recipient);

        await _scenario.Dispatcher.DispatchOnceAsync();

        var sent = (await fixture.SendAsync(_organizationId, new GetDeliveryQuery(_organizationId, queued.Value))).Value;
        Assert.Equal(DeliveryStatus.Sent, sent.Status);
        Assert.Equal("test-1", sent.ProviderMessageId);
        var form = Assert.Single(_server.Requests).Form;
        Assert.Equal("15550100001", form["to"]);
        Assert.Equal("Ciba test message for Demo Org: SMS delivery works. https://ciba.test/t/demo/console", form["text"]);
    }

    [Fact]
    public async Task SendTestMessage_WithoutProviderForChannel_FailsOnChannel()
    {
        var result = await fixture.SendAsync(_organizationId, new SendTestMessageCommand(_organizationId, MessageChannel.Email, "alice@demo.test"));

        Assert.False(result.IsSuccess);
        Assert.Equal("Channel", Assert.Single(result.Error.Fields).Field);
    }

    [Theory]
    [InlineData(MessageChannel.Email, "not-an-address")]
    [InlineData(MessageChannel.Sms, "12345")]
    [InlineData(MessageChannel.Sms, "")]
    public async Task SendTestMessage_WithBadRecipient_FailsOnRecipient(MessageChannel channel, string recipient)
    {
        var result = await fixture.SendAsync(_organizationId, new SendTestMessageCommand(_organizationId, channel, recipient));

        Assert.False(result.IsSuccess);
        Assert.Equal("Recipient", Assert.Single(result.Error.Fields).Field);
    }

    [Fact]
    public async Task GetDeliveries_ListsNewestFirstWithMaskedRecipientsAndNoContent()
    {
        await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Email, "alice@demo.test");
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        var otherOrganization = await _scenario.CreateOrganizationAsync("other");
        await _scenario.EnqueueSignInAsync(otherOrganization, MessageChannel.Email, "mallory@other.test");
        await _scenario.Dispatcher.DispatchOnceAsync();

        var page = await fixture.SendAsync(_organizationId, new GetDeliveriesQuery(_organizationId, PageRequest.From(null, null, 10)));

        Assert.Equal(2, page.Count);
        Assert.Null(page.Older);
        Assert.Equal(["+1555•••0001", "a•••@demo.test"], page.Items.Select(d => d.Recipient));
        Assert.All(page.Items, d => Assert.Equal(DeliveryStatus.Failed, d.Status));
        Assert.Equal("No SMS provider is configured.", page.Items[0].LastError);
        var json = JsonSerializer.Serialize(page);
        Assert.DoesNotContain("raw-link-key", json, StringComparison.Ordinal);
        Assert.DoesNotContain("mallory", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDelivery_OfAnotherOrganization_IsNotFound()
    {
        var other = await _scenario.CreateOrganizationAsync("other");
        var id = await _scenario.EnqueueSignInAsync(other, MessageChannel.Email, "bob@other.test");

        var result = await fixture.SendAsync(_organizationId, new GetDeliveryQuery(_organizationId, id));

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
    }

    private async Task<string?> ReadColumnAsync(string column)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT \"{column}\" FROM \"NotificationProviders\" WHERE \"OrganizationId\" = @id", connection);
        command.Parameters.AddWithValue("id", _organizationId);
        return (string?)await command.ExecuteScalarAsync();
    }

    private async Task<string> ReadWholeRowAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT row_to_json(p)::text FROM \"NotificationProviders\" p WHERE \"OrganizationId\" = @id", connection);
        command.Parameters.AddWithValue("id", _organizationId);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
