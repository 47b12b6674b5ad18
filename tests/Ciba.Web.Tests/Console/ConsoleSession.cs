using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Ciba.Web.Tests.Console;

/// <summary>
/// A browser-like HTTP session against the in-memory app: cookies kept, redirects not followed,
/// forms posted with the antiforgery token read from a page the way a browser would.
/// </summary>
public sealed partial class ConsoleSession : IDisposable
{
    private ConsoleSession(CibaWebFactory factory, string organization)
    {
        Organization = organization;
        Cookies = new CookieContainer();
        Client = factory.CreateDefaultClient(new Uri(CibaWebFactory.ClientBaseAddress), new CookieContainerHandler(Cookies));
    }

    public string Organization { get; }

    public CookieContainer Cookies { get; }

    public HttpClient Client { get; }

    public string Console => $"/t/{Organization}/console";

    public static ConsoleSession Anonymous(CibaWebFactory factory, string organization = "demo") => new(factory, organization);

    public static async Task<ConsoleSession> SignInAsync(CibaWebFactory factory, string userName, string password, string organization = "demo")
    {
        var session = new ConsoleSession(factory, organization);
        using var response = await session.PostFormAsync($"/t/{organization}/login", [new("Login", userName), new("Password", password)]);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of {userName} to {organization} answered {(int)response.StatusCode}.");
        }

        return session;
    }

    public static Task<ConsoleSession> AdminAsync(CibaWebFactory factory) => SignInAsync(factory, "admin", "Admin-Passw0rd!");

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(path);

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        }

        return body;
    }

    /// <summary>Reads the antiforgery token from <paramref name="formPage"/> (default: the page posted to) and posts the form.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string? formPage = null)
    {
        var page = await GetPageAsync(formPage ?? path);
        var token = TokenPattern().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {formPage ?? path}.");
        }

        return await PostWithoutTokenAsync(path, fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value))));
    }

    public async Task<HttpResponseMessage> PostWithoutTokenAsync(string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await Client.PostAsync(path, content);
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
