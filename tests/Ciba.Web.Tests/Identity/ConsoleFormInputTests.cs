using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Ciba.Web.Tests.Console;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Identity;

/// <summary>
/// Issue 9 item 13: the console's and sign-in's forms answer hostile values (overflowing numbers,
/// out-of-range enums, control and non-ASCII characters, broken percent-encoding, huge and repeated
/// fields) with a page, never a 5xx.
/// </summary>
public sealed partial class ConsoleFormInputTests(IdentityWebFactory factory) : IClassFixture<IdentityWebFactory>
{
    private static readonly string[] HostileValues =
    [
        "99999999999999999999",
        "-2147483649",
        "1e400",
        "-1",
        "NaN",
        "abc",
        string.Empty,
        " ",
        "\u0001\u001F\u007F",
        "line\r\nbreak",
        "\u202Eright-to-left\u2028",
        "ünïcödé 名前 😀",
        "<script>alert(1)</script>",
        "'; DROP TABLE \"AspNetUsers\"; --",
        new string('x', 5000),
    ];

    private static readonly string[] RawValues = ["%ZZ", "%", "%C3%28", "%FF%FE", "a%00b".Replace("%00", "%01", StringComparison.Ordinal)];

    private static readonly (string Form, string Page, string[] Fields)[] Forms =
    [
        ("/t/demo/console/users/new", "/t/demo/console/users/new", ["UserName", "DisplayName", "Email", "EmailVerified", "Mobile", "Password", "IsAdministrator"]),
        ("/t/demo/console/users/{user}", "/t/demo/console/users/{user}", ["UserName", "DisplayName", "Email", "EmailVerified", "Mobile", "IsAdministrator"]),
        ("/t/demo/console/users/{user}/password", "/t/demo/console/users/{user}", ["Password"]),
        ("/t/demo/console/applications/new", "/t/demo/console/applications/new", ["Name", "Description"]),
        ("/t/demo/console/applications/{app}", "/t/demo/console/applications/{app}", ["Name", "Description"]),
        ("/t/demo/console/applications/{app}/protocol", "/t/demo/console/applications/{app}/protocol", ["GrantTypes", "ExpirySeconds", "Channels", "PollingIntervalSeconds"]),
        ("/t/demo/console/providers/email", "/t/demo/console/providers", ["Provider", "ApiKey", "FromAddress", "FromName", "BaseUrl"]),
        ("/t/demo/console/providers/sms", "/t/demo/console/providers", ["Provider", "ApiKey", "ApiSecret", "From", "BaseUrl"]),
        ("/t/demo/console/providers/test", "/t/demo/console/providers", ["Channel", "Recipient"]),
        ("/t/demo/console/users?search={value}", "/t/demo/console/users", []),
    ];

    [Fact]
    public async Task ConsoleForms_WithHostileValues_NeverAnswer5xx()
    {
        var userId = await factory.CreateUserAsync("form-target", "Form-Target-Passw0rd!");
        var appId = await factory.ReadAsync(db => db.Applications.Where(a => a.ClientId == "demo-kiosk" || a.ClientId == "demo-tv").OrderBy(a => a.ClientId).Select(a => a.Id).FirstAsync());
        using var admin = await ConsoleSession.AdminAsync(factory);
        var failures = new List<string>();
        var cases = 0;

        foreach (var (formTemplate, pageTemplate, fields) in Forms)
        {
            var form = formTemplate.Replace("{user}", userId.ToString(), StringComparison.Ordinal).Replace("{app}", appId.ToString(), StringComparison.Ordinal);
            var page = pageTemplate.Replace("{user}", userId.ToString(), StringComparison.Ordinal).Replace("{app}", appId.ToString(), StringComparison.Ordinal);
            if (form.Contains("{value}", StringComparison.Ordinal))
            {
                foreach (var value in HostileValues.Concat(RawValues))
                {
                    cases++;
                    using var response = await admin.GetAsync(form.Replace("{value}", RawValues.Contains(value) ? value : Uri.EscapeDataString(value), StringComparison.Ordinal));
                    Record(failures, response, "GET " + form, value);
                }

                continue;
            }

            var token = await TokenAsync(admin, page);
            foreach (var field in fields)
            {
                foreach (var value in HostileValues)
                {
                    cases++;
                    using var response = await PostAsync(admin, form, token, $"{field}={Uri.EscapeDataString(value)}");
                    Record(failures, response, form + " " + field, value);
                }

                foreach (var raw in RawValues)
                {
                    cases++;
                    using var response = await PostAsync(admin, form, token, $"{field}={raw}");
                    Record(failures, response, form + " " + field, raw);
                }

                cases++;
                using var repeated = await PostAsync(admin, form, token, $"{field}=1&{field}=2&{field}=-3");
                Record(failures, repeated, form + " " + field, "repeated");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(cases > 400, $"only {cases} cases");
        Assert.Contains(HttpStatusCode.Redirect, _statuses);
        Assert.Contains(HttpStatusCode.BadRequest, _statuses);
    }

    [Fact]
    public async Task SignInForm_WithHostileValues_NeverAnswers5xx()
    {
        var failures = new List<string>();
        var address = 0;
        foreach (var field in new[] { "Login", "Password", "ReturnUrl" })
        {
            foreach (var value in HostileValues.Select(Uri.EscapeDataString).Concat(RawValues))
            {
                using var session = ConsoleSession.Anonymous(factory);
                session.Client.DefaultRequestHeaders.Add(IdentityWebFactory.ClientAddressHeader, "10.77.0." + (++address % 250));
                var token = await TokenAsync(session, "/t/demo/login");
                var others = field == "Login" ? "Password=x" : "Login=someone";
                using var response = await PostAsync(session, "/t/demo/login", token, $"{field}={value}&{others}");
                Record(failures, response, "login " + field, value);
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private readonly HashSet<HttpStatusCode> _statuses = [];

    private void Record(List<string> failures, HttpResponseMessage response, string where, string value)
    {
        _statuses.Add(response.StatusCode);
        if ((int)response.StatusCode >= 500)
        {
            failures.Add($"{where} = {Uri.EscapeDataString(value.Length > 40 ? value[..40] : value)}: {(int)response.StatusCode}");
        }
    }

    private static async Task<string> TokenAsync(ConsoleSession session, string page) =>
        WebUtility.HtmlDecode(TokenPattern().Match(await session.GetPageAsync(page)).Groups[1].Value);

    private static Task<HttpResponseMessage> PostAsync(ConsoleSession session, string path, string token, string body)
    {
        var content = new StringContent($"{body}&__RequestVerificationToken={Uri.EscapeDataString(token)}", Encoding.ASCII, "application/x-www-form-urlencoded");
        return session.Client.PostAsync(path, content);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
