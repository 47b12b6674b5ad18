using System.Net;
using System.Text.RegularExpressions;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Console;

public partial class ApplicationsConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task List_ShowsNameClientIdAndGrantTypes()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        var page = await admin.GetPageAsync("/t/demo/console/applications");

        Assert.Contains("Demo TV", page, StringComparison.Ordinal);
        Assert.Contains("demo-kiosk", page, StringComparison.Ordinal);
        Assert.Contains("<td>CIBA, Refresh Token</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>None</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Code", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ShowsOneTimeSecretThatVerifiesAgainstTheStoredHash()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        var (application, secret) = await CreateApplicationAsync(admin, "Lobby Kiosk");

        Assert.Equal("Lobby Kiosk", application.Name);
        Assert.Matches("^[a-z0-9]{24}$", application.ClientId);
        Assert.Equal(43, secret.Length);
        Assert.True(SecretHashing.VerifyClientSecret(secret, application.ClientSecretHash));
        Assert.DoesNotContain(secret, application.ClientSecretHash, StringComparison.Ordinal);
        Assert.True(application.AllowsCiba);
        Assert.Equal(CibaSettings.Default, application.CibaSettings);
        var general = await admin.GetPageAsync($"/t/demo/console/applications/{application.Id}");
        Assert.DoesNotContain(secret, general, StringComparison.Ordinal);
        var again = await admin.GetPageAsync($"/t/demo/console/applications/{application.Id}/secret");
        Assert.DoesNotContain(secret, again, StringComparison.Ordinal);
        Assert.Contains("The client secret was shown once", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutName_ShowsFieldErrorAndCreatesNothing()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var before = await factory.ReadAsync(db => db.Applications.CountAsync());

        using var response = await admin.PostFormAsync("/t/demo/console/applications/new", [new("Name", "  "), new("Description", "x")]);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Enter a name.", page, StringComparison.Ordinal);
        Assert.Equal(before, await factory.ReadAsync(db => db.Applications.CountAsync()));
    }

    [Fact]
    public async Task UpdateProtocol_WithValidValues_SavesThemForTheNextRequest()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, _) = await CreateApplicationAsync(admin, "Protocol target");

        using var response = await PostProtocolAsync(admin, application.Id, [GrantTypes.Ciba], "300", ["Email", "External"], "5");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = (await factory.ApplicationAsync(application.Id))!;
        Assert.Equal(300, saved.CibaSettings.ExpirySeconds);
        Assert.Equal(NotificationChannels.Email | NotificationChannels.External, saved.CibaSettings.Channels);
        Assert.Equal(5, saved.CibaSettings.PollingIntervalSeconds);
        Assert.Equal([GrantTypes.Ciba], saved.GrantTypes);
        var page = await admin.GetPageAsync($"/t/demo/console/applications/{application.Id}/protocol");
        Assert.Contains("value=\"300\"", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("id=\"channel-sms\"[^>]*checked", page);
        Assert.Matches("id=\"channel-email\"[^>]*checked", page);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("86401")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task UpdateProtocol_WithInvalidExpiry_ShowsFieldErrorAndSavesNothing(string expiry)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, _) = await CreateApplicationAsync(admin, "Expiry " + expiry);

        using var response = await PostProtocolAsync(admin, application.Id, [GrantTypes.Ciba], expiry, ["Email"], "7");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(FieldError("ExpirySeconds", "Enter a whole number of seconds from 1 to 86400."), page);
        var saved = (await factory.ApplicationAsync(application.Id))!;
        Assert.Equal(CibaSettings.Default, saved.CibaSettings);
        Assert.Equal(application.UpdatedAt, saved.UpdatedAt);
    }

    [Fact]
    public async Task UpdateProtocol_WithCibaAndNoChannels_ShowsFieldErrorAndSavesNothing()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, _) = await CreateApplicationAsync(admin, "No channels");

        using var response = await PostProtocolAsync(admin, application.Id, [GrantTypes.Ciba], "300", [], "2");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(FieldError("Channels", "Choose at least one notification channel"), page);
        Assert.Contains("value=\"300\"", page, StringComparison.Ordinal);
        Assert.Equal(CibaSettings.Default, (await factory.ApplicationAsync(application.Id))!.CibaSettings);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("61")]
    [InlineData("two")]
    public async Task UpdateProtocol_WithInvalidPollingInterval_ShowsFieldError(string interval)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, _) = await CreateApplicationAsync(admin, "Interval " + interval);

        using var response = await PostProtocolAsync(admin, application.Id, [GrantTypes.Ciba], "120", ["Sms"], interval);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(FieldError("PollingIntervalSeconds", "Enter a whole number of seconds from 1 to 60."), page);
        Assert.Equal(CibaSettings.Default, (await factory.ApplicationAsync(application.Id))!.CibaSettings);
    }

    [Theory]
    [InlineData("authorization_code")]
    [InlineData("client_credentials")]
    [InlineData("password")]
    public async Task UpdateProtocol_WithAGrantTheTokenEndpointDoesNotServe_IsAFieldErrorAndSavesNothing(string grantType)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, _) = await CreateApplicationAsync(admin, "Unserved " + grantType);

        using var response = await PostProtocolAsync(admin, application.Id, [GrantTypes.Ciba, grantType], "300", ["Email"], "2");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(FieldError("GrantTypes", "Choose grant types from the list."), page);
        var saved = (await factory.ApplicationAsync(application.Id))!;
        Assert.Equal([GrantTypes.Ciba], saved.GrantTypes);
        Assert.Equal(CibaSettings.Default, saved.CibaSettings);
    }

    [Fact]
    public async Task UpdateProtocol_WithUnknownGrantTypeOrChannel_ShowsFieldErrors()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, _) = await CreateApplicationAsync(admin, "Unknown values");

        using var response = await PostProtocolAsync(admin, application.Id, [GrantTypes.Ciba, "password"], "120", ["Email", "Pigeon"], "2");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(FieldError("GrantTypes", "Choose grant types from the list."), page);
        Assert.Matches(FieldError("Channels", "Choose at least one notification channel"), page);
    }

    [Fact]
    public async Task UpdateProtocol_WithoutCiba_KeepsTheCibaSettingsAndIgnoresTheirFields()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, _) = await CreateApplicationAsync(admin, "CIBA off");

        using var response = await PostProtocolAsync(admin, application.Id, [], "0", [], "x");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = (await factory.ApplicationAsync(application.Id))!;
        Assert.False(saved.AllowsCiba);
        Assert.Empty(saved.GrantTypes);
        Assert.Equal(CibaSettings.Default, saved.CibaSettings);
    }

    [Fact]
    public async Task UpdateGeneral_SavesNameAndDescription_AndRefusesAnEmptyName()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, _) = await CreateApplicationAsync(admin, "Before");
        var path = $"/t/demo/console/applications/{application.Id}";

        using var saved = await admin.PostFormAsync(path, [new("Name", "After"), new("Description", "Front desk")]);
        using var refused = await admin.PostFormAsync(path, [new("Name", ""), new("Description", "ignored")]);
        var refusedPage = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Matches(FieldError("Name", "Enter a name."), refusedPage);
        var stored = (await factory.ApplicationAsync(application.Id))!;
        Assert.Equal("After", stored.Name);
        Assert.Equal("Front desk", stored.Description);
    }

    [Fact]
    public async Task RegenerateSecret_ShowsANewSecretOnceAndTheOldOneStopsVerifying()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, oldSecret) = await CreateApplicationAsync(admin, "Rotating");

        using var response = await admin.PostFormAsync($"/t/demo/console/applications/{application.Id}/secret", [], formPage: $"/t/demo/console/applications/{application.Id}");
        var (page, noStore) = await FollowToSecretPageAsync(admin, response);
        var newSecret = SecretOn(page);

        Assert.True(noStore);
        var stored = (await factory.ApplicationAsync(application.Id))!;
        Assert.True(SecretHashing.VerifyClientSecret(newSecret, stored.ClientSecretHash));
        Assert.False(SecretHashing.VerifyClientSecret(oldSecret, stored.ClientSecretHash));
    }

    [Fact]
    public async Task Delete_AfterConfirmation_RemovesTheApplication()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var (application, _) = await CreateApplicationAsync(admin, "Short-lived");
        var path = $"/t/demo/console/applications/{application.Id}/delete";

        var confirmation = await admin.GetPageAsync(path);
        using var response = await admin.PostFormAsync(path, []);

        Assert.Contains("Delete Short-lived?", confirmation, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await factory.ApplicationAsync(application.Id));
        using var gone = await admin.GetAsync($"/t/demo/console/applications/{application.Id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private async Task<(ClientApplication Application, string Secret)> CreateApplicationAsync(ConsoleSession admin, string name)
    {
        using var response = await admin.PostFormAsync("/t/demo/console/applications/new", [new("Name", name)]);
        var (page, _) = await FollowToSecretPageAsync(admin, response);
        var clientId = ClientIdPattern().Match(page).Groups[1].Value;
        return (await factory.ApplicationAsync(clientId), SecretOn(page));
    }

    /// <summary>Post/Redirect/Get: a new secret is shown on the GET after the redirect, with no-store.</summary>
    private static async Task<(string Page, bool NoStore)> FollowToSecretPageAsync(ConsoleSession admin, HttpResponseMessage posted)
    {
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.EndsWith("/secret", posted.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var shown = await admin.GetAsync(posted.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        return (await shown.Content.ReadAsStringAsync(), shown.Headers.CacheControl?.NoStore == true);
    }

    private static Task<HttpResponseMessage> PostProtocolAsync(ConsoleSession admin, Guid id, string[] grantTypes, string expiry, string[] channels, string interval)
    {
        var path = $"/t/demo/console/applications/{id}/protocol";
        var fields = grantTypes.Select(g => new KeyValuePair<string, string>("GrantTypes", g))
            .Concat(channels.Select(c => new KeyValuePair<string, string>("Channels", c)))
            .Append(new("ExpirySeconds", expiry))
            .Append(new("PollingIntervalSeconds", interval));
        return admin.PostFormAsync(path, fields);
    }

    private static Regex FieldError(string field, string message) =>
        new($"data-valmsg-for=\"{field}\"[^>]*>{Regex.Escape(message)}");

    private static string SecretOn(string page) => WebUtility.HtmlDecode(SecretPattern().Match(page).Groups[1].Value);

    [GeneratedRegex("id=\"client-secret\" type=\"text\" value=\"([^\"]+)\"")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("id=\"client-id\" type=\"text\" value=\"([^\"]+)\"")]
    private static partial Regex ClientIdPattern();
}
