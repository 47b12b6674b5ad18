using System.Net;
using System.Text;
using Ciba.Testing;
using Ciba.Web.Tests.Console;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Tests.Identity;

/// <summary>Issue 9 items 6 (Secure cookies), 13 (return URLs, list parameters, /error) and 15 (anonymous form body cap).</summary>
public sealed class CookieAndFormEdgeTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public void Cookies_WithAnHttpsPublicOrigin_AreAlwaysSecure_WhateverTheRequestScheme()
    {
        var session = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var antiforgery = factory.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        var tempData = factory.Services.GetRequiredService<IOptions<CookieTempDataProviderOptions>>().Value;

        Assert.Equal(CookieSecurePolicy.Always, session.Cookie.SecurePolicy);
        Assert.Equal(CookieSecurePolicy.Always, antiforgery.Cookie.SecurePolicy);
        Assert.Equal(CookieSecurePolicy.Always, tempData.Cookie.SecurePolicy);
    }

    [Fact]
    public async Task SignIn_SetsSecureHttpOnlySessionAndAntiforgeryCookies()
    {
        using var session = ConsoleSession.Anonymous(factory);
        using var page = await session.GetAsync("/t/demo/login");
        using var signIn = await session.PostFormAsync("/t/demo/login", [new("Login", "admin"), new("Password", "Admin-Passw0rd!")]);

        var antiforgeryCookie = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var sessionCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".ciba.session", StringComparison.Ordinal));
        Assert.Contains("; secure", antiforgeryCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; secure", sessionCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", sessionCookie, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string> HostileReturnUrls => new()
    {
        "/t/demo/cönsole/ünïcode",
        "/t/demo/console/\u202Eevil",
        "https://evil.example/t/demo/console",
        "//evil.example/t/demo/console",
        "/\\evil.example",
        "/t/demo//evil.example",
        "/t/demo/\\\\evil.example",
        "/t/other/console",
        "javascript:alert(1)",
        "",
    };

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    public async Task SignIn_WithAHostileReturnUrl_GoesToTheConsole_Never500OrOffSite(string returnUrl)
    {
        using var session = ConsoleSession.Anonymous(factory);

        using var page = await session.GetAsync("/t/demo/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        using var signIn = await session.PostFormAsync("/t/demo/login", [new("Login", "admin"), new("Password", "Admin-Passw0rd!"), new("ReturnUrl", returnUrl)]);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/t/demo/console", signIn.Headers.Location!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    public async Task SignOut_WithAHostileReturnUrl_StaysOnTheSignInPage(string returnUrl)
    {
        using var session = await ConsoleSession.AdminAsync(factory);

        using var signOut = await session.PostFormAsync(
            "/t/demo/logout?returnUrl=" + Uri.EscapeDataString(returnUrl), [], formPage: "/t/demo/console/applications");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/t/demo/login?returnUrl=%2Ft%2Fdemo%2Fconsole", signOut.Headers.Location!.OriginalString);
    }

    public static TheoryData<string> ReturnUrlsWithLineBreaks => new()
    {
        "/t/demo/console\r\nSet-Cookie: injected=1",
        "/t/demo/console\nLocation: https://evil.example/",
    };

    [Theory]
    [MemberData(nameof(ReturnUrlsWithLineBreaks))]
    public async Task LineBreaksInReturnUrl_AreRefusedInQueriesAndIgnoredInTheSignInForm(string returnUrl)
    {
        using var anonymous = ConsoleSession.Anonymous(factory);
        using var page = await anonymous.GetAsync("/t/demo/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        using var signIn = await anonymous.PostFormAsync("/t/demo/login", [new("Login", "admin"), new("Password", "Admin-Passw0rd!"), new("ReturnUrl", returnUrl)]);
        using var admin = await ConsoleSession.AdminAsync(factory);
        using var signOut = await admin.PostFormAsync(
            "/t/demo/logout?returnUrl=" + Uri.EscapeDataString(returnUrl), [], formPage: "/t/demo/console/applications");

        // A control character in a query string is refused at the edge (ADR 0020); form fields may
        // carry line breaks (multi-line fields), so the sign-in form falls back to the console.
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Null(signOut.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/t/demo/console", signIn.Headers.Location!.OriginalString);
        foreach (var response in new[] { page, signIn, signOut })
        {
            Assert.DoesNotContain(response.Headers, header => header.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
                && header.Value.Any(value => value.Contains("injected", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task SignIn_WithAnOrdinaryReturnUrl_GoesBackThere()
    {
        using var session = ConsoleSession.Anonymous(factory);

        using var signIn = await session.PostFormAsync(
            "/t/demo/login", [new("Login", "admin"), new("Password", "Admin-Passw0rd!"), new("ReturnUrl", "/t/demo/console/users?search=a%20b")]);

        Assert.Equal("/t/demo/console/users?search=a%20b", signIn.Headers.Location!.OriginalString);
    }

    public static TheoryData<string> ListQueries => new()
    {
        "/t/demo/console/users?page=107374184",
        "/t/demo/console/users?page=-1",
        "/t/demo/console/users?after=not-a-cursor&before=%FF%FE",
        "/t/demo/console/users?after=" + new string('A', 5000),
        "/t/demo/console/applications?page=-2147483648",
        "/t/demo/console/applications?after=eyJrIjoxfQ",
        "/t/demo/console/activity?page=99999999999999999999",
        "/t/demo/console/activity?before=%2F%2F",
        "/t/demo/console/activity/deliveries?page=-5&after=-5",
        "/t/demo/console/activity/inbox?page=107374184",
    };

    [Theory]
    [MemberData(nameof(ListQueries))]
    public async Task ConsoleLists_WithHugeNegativeOrBrokenPaging_AnswerAPage(string path)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.GetAsync(path);

        Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task ErrorPath_OpenedDirectly_IsANotFoundPage(string method)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/error");
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent([new("x", "y")]);
        }

        using var response = await client.SendAsync(request);
        using var status = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/error/500"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string> AnonymousForms => new()
    {
        "/t/demo/login",
        "/t/demo/logout",
        "/t/demo/oauth2/ciba_authorize/approve",
        "/t/demo/oauth2/ciba_authorize/deny",
    };

    [Theory]
    [MemberData(nameof(AnonymousForms))]
    public async Task AnonymousForm_WithABodyOverTheProtocolCap_Is413Page(string path)
    {
        using var client = factory.CreateClient();
        var body = "Login=" + new string('a', 64 * 1024);

        using var declared = await client.PostAsync(path, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));
        using var chunked = await client.PostAsync(path, new ChunkedContent(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal("text/html", declared.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnonymousForm_JustUnderTheCap_IsReadAsUsual()
    {
        using var session = ConsoleSession.Anonymous(factory);

        using var signIn = await session.PostFormAsync(
            "/t/demo/login", [new("Login", "admin"), new("Password", "Admin-Passw0rd!"), new("Padding", new string('p', 12 * 1024))]);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    /// <summary>A form body sent without Content-Length.</summary>
    private sealed class ChunkedContent(string body) : HttpContent
    {
        private readonly byte[] _bytes = Encoding.ASCII.GetBytes(body);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
