using System.Net;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Console;

/// <summary>The providers page against the notification use cases: SendGrid and Vonage settings, secrets write-only.</summary>
public class ProvidersConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    private const string ProvidersPath = "/t/demo/console/providers";

    [Fact]
    public async Task EmailProvider_AdminSavesSendGrid_StoresTheKeyEncryptedAndNeverShowsIt()
    {
        const string apiKey = "SG.wire-test-key-7f3a9c";
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostFormAsync($"{ProvidersPath}/email", SendGrid(apiKey, "no-reply@demo.test"), ProvidersPath);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await admin.GetPageAsync(ProvidersPath);
        Assert.Contains("The email provider was saved.", page, StringComparison.Ordinal);
        Assert.DoesNotContain(apiKey, page, StringComparison.Ordinal);
        Assert.Contains("Stored; leave blank to keep it", page, StringComparison.Ordinal);
        Assert.Contains("value=\"no-reply@demo.test\"", page, StringComparison.Ordinal);
        var stored = await ProvidersAsync();
        Assert.Equal(EmailProviderKind.SendGrid, stored.EmailProvider);
        Assert.Equal("no-reply@demo.test", stored.SendGridFromAddress);
        Assert.Equal("Demo sign-in", stored.SendGridFromName);
        Assert.NotNull(stored.SendGridProtectedApiKey);
        Assert.DoesNotContain(apiKey, stored.SendGridProtectedApiKey, StringComparison.Ordinal);
        Assert.Equal(apiKey, factory.Services.GetRequiredService<ISecretProtector>().Unprotect(stored.SendGridProtectedApiKey));
    }

    [Fact]
    public async Task EmailProvider_SavedAgainWithBlankKey_KeepsTheStoredKey()
    {
        const string apiKey = "SG.kept-key-41b2";
        using var admin = await ConsoleSession.AdminAsync(factory);
        using (var first = await admin.PostFormAsync($"{ProvidersPath}/email", SendGrid(apiKey, "first@demo.test"), ProvidersPath))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using var second = await admin.PostFormAsync($"{ProvidersPath}/email", SendGrid(string.Empty, "second@demo.test"), ProvidersPath);

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var stored = await ProvidersAsync();
        Assert.Equal("second@demo.test", stored.SendGridFromAddress);
        Assert.Equal(apiKey, factory.Services.GetRequiredService<ISecretProtector>().Unprotect(stored.SendGridProtectedApiKey!));
    }

    [Fact]
    public async Task EmailProvider_InvalidFromAddress_ShowsTheFieldErrorAndSavesNothing()
    {
        const string apiKey = "SG.never-saved-key-93d1";
        var before = await ProvidersAsync();
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostFormAsync($"{ProvidersPath}/email", SendGrid(apiKey, "not-an-address"), ProvidersPath);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Matches("data-valmsg-for=\"Email.FromAddress\"[^>]*>Enter a valid email address.<", page);
        Assert.DoesNotContain(apiKey, page, StringComparison.Ordinal);
        Assert.Contains("value=\"not-an-address\"", page, StringComparison.Ordinal);
        var after = await ProvidersAsync();
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        Assert.Equal(before.EmailProvider, after.EmailProvider);
        Assert.Equal(before.SendGridFromAddress, after.SendGridFromAddress);
        Assert.Equal(before.SendGridProtectedApiKey, after.SendGridProtectedApiKey);
    }

    [Fact]
    public async Task SmsProvider_AdminSavesVonage_StoresTheSecretEncryptedAndNeverShowsIt()
    {
        const string apiSecret = "vonage-secret-5e8d";
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostFormAsync(
            $"{ProvidersPath}/sms",
            [new("Sms.Provider", nameof(SmsProviderKind.Vonage)), new("Sms.ApiKey", "vonage-key"), new("Sms.ApiSecret", apiSecret), new("Sms.From", "Ciba"), new("Sms.BaseUrl", "")],
            ProvidersPath);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await admin.GetPageAsync(ProvidersPath);
        Assert.DoesNotContain(apiSecret, page, StringComparison.Ordinal);
        Assert.Contains("value=\"vonage-key\"", page, StringComparison.Ordinal);
        var stored = await ProvidersAsync();
        Assert.Equal(SmsProviderKind.Vonage, stored.SmsProvider);
        Assert.Equal("Ciba", stored.VonageFrom);
        Assert.DoesNotContain(apiSecret, stored.VonageProtectedApiSecret!, StringComparison.Ordinal);
        Assert.Equal(apiSecret, factory.Services.GetRequiredService<ISecretProtector>().Unprotect(stored.VonageProtectedApiSecret!));
    }

    [Fact]
    public async Task EmailProvider_PostedByNonAdministrator_Is403AndSavesNothing()
    {
        var before = await ProvidersAsync();
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        using var response = await alice.PostWithoutTokenAsync($"{ProvidersPath}/email", SendGrid("SG.alice-key", "alice@demo.test"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before.UpdatedAt, (await ProvidersAsync()).UpdatedAt);
    }

    [Fact]
    public async Task TestMessage_PostedByNonAdministrator_Is403AndQueuesNothing()
    {
        var before = await factory.ReadAsync(db => db.OutgoingMessages.CountAsync());
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        using var response = await alice.PostWithoutTokenAsync($"{ProvidersPath}/test", [new("Test.Channel", "Email"), new("Test.Recipient", "alice@demo.test")]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await factory.ReadAsync(db => db.OutgoingMessages.CountAsync()));
    }

    private static KeyValuePair<string, string>[] SendGrid(string apiKey, string fromAddress) =>
    [
        new("Email.Provider", nameof(EmailProviderKind.SendGrid)),
        new("Email.ApiKey", apiKey),
        new("Email.FromAddress", fromAddress),
        new("Email.FromName", "Demo sign-in"),
        new("Email.BaseUrl", ""),
    ];

    private Task<NotificationProviders> ProvidersAsync() =>
        factory.ReadAsync(async db =>
        {
            var demo = await db.Organizations.AsNoTracking().SingleAsync(o => o.Handle == "demo");
            return await db.NotificationProviders.AsNoTracking().SingleAsync(p => p.OrganizationId == demo.Id);
        });
}
