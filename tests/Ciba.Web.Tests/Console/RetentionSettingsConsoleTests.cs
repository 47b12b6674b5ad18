using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Console;

/// <summary>product.md §14: the organization's retention periods, editable and validated in the console.</summary>
public sealed class RetentionSettingsConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task Settings_ShowsTheDefaults_AndSavesNewPeriods()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        var page = await admin.GetPageAsync("/t/demo/console/settings");
        Assert.Contains("value=\"30\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"365\"", page, StringComparison.Ordinal);

        using var response = await admin.PostFormAsync("/t/demo/console/settings", [new("RequestRetentionDays", "7"), new("MessageRetentionDays", "3"), new("AuditRetentionDays", "400")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await factory.ReadAsync(db => db.Organizations.SingleAsync(o => o.Handle == "demo"));
        Assert.Equal((7, 3, 400), (saved.RequestRetentionDays, saved.MessageRetentionDays, saved.AuditRetentionDays));
    }

    [Fact]
    public async Task Settings_OutOfRangeOrMissing_ShowsFieldErrorsAndSavesNothing()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var before = await factory.ReadAsync(db => db.Organizations.SingleAsync(o => o.Handle == "demo"));

        using var response = await admin.PostFormAsync("/t/demo/console/settings", [new("RequestRetentionDays", "0"), new("MessageRetentionDays", ""), new("AuditRetentionDays", "99999")]);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = page.Split("Enter a number of days from 1 to 3650.").Length - 1;
        Assert.True(errors >= 3, $"Expected an error for each of the three fields, found {errors}.");
        var after = await factory.ReadAsync(db => db.Organizations.SingleAsync(o => o.Handle == "demo"));
        Assert.Equal(before.RequestRetentionDays, after.RequestRetentionDays);
        Assert.Equal(before.AuditRetentionDays, after.AuditRetentionDays);
    }
}
