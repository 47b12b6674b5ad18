using System.Net;
using System.Reflection;
using System.Text.Json;
using Ciba.Application.Common.Results;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Routing;

namespace Ciba.Web.Tests.OpenApi;

public class OpenApiDocumentTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    /// <summary>The error codes product.md names for the REST endpoints (§3, §6, §7, §12; RFC 6750 for userinfo).</summary>
    public static readonly TheoryData<string> ProductErrorCodes = new()
    {
        "invalid_request", "invalid_client", "unauthorized_client", "invalid_scope", "unknown_user_id", "invalid_binding_message",
        "access_denied", "expired_login_hint_token", "missing_user_code", "invalid_user_code", "invalid_grant", "expired_token",
        "slow_down", "authorization_pending", "unsupported_grant_type", "invalid_token",
    };

    [Fact]
    public async Task Document_DescribesEveryProtocolAction_AndNothingElse()
    {
        using var document = await ReadDocumentAsync();
        var paths = document.RootElement.GetProperty("paths");
        var documented = paths.EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        var served = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Ciba.Web.Protocol", StringComparison.Ordinal) == true)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetCustomAttributes<HttpMethodAttribute>())
            .SelectMany(a => a.HttpMethods.Select(method => $"{method} /{a.Template}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(served);
        Assert.Equal(served.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        Assert.Contains("POST /t/{org}/oauth2/ciba", documented);
        Assert.Contains("POST /t/{org}/oauth2/token", documented);
        Assert.Contains("GET /t/{org}/oauth2/userinfo", documented);
        Assert.Contains("POST /t/{org}/oauth2/userinfo", documented);
        Assert.Contains("GET /t/{org}/oauth2/jwks", documented);
        Assert.Contains("GET /t/{org}/oauth2/token/.well-known/openid-configuration", documented);
    }

    [Theory]
    [MemberData(nameof(ProductErrorCodes))]
    public async Task Document_NamesEveryErrorCodeOfTheProduct(string code)
    {
        using var document = await ReadDocumentAsync();

        Assert.Contains(code, DocumentedErrorCodes(document));
    }

    [Fact]
    public async Task Document_NamesEveryErrorCodeTheServiceDefines()
    {
        using var document = await ReadDocumentAsync();
        var defined = typeof(OAuthErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);

        Assert.All(defined, code => Assert.Contains(code, DocumentedErrorCodes(document)));
    }

    [Theory]
    [InlineData("/t/{org}/oauth2/ciba", "post", "400", "invalid_binding_message")]
    [InlineData("/t/{org}/oauth2/ciba", "post", "401", "invalid_client")]
    [InlineData("/t/{org}/oauth2/ciba", "post", "403", "access_denied")]
    [InlineData("/t/{org}/oauth2/token", "post", "400", "access_denied")]
    [InlineData("/t/{org}/oauth2/token", "post", "400", "authorization_pending")]
    [InlineData("/t/{org}/oauth2/token", "post", "400", "slow_down")]
    [InlineData("/t/{org}/oauth2/token", "post", "401", "invalid_client")]
    [InlineData("/t/{org}/oauth2/userinfo", "get", "401", "invalid_token")]
    [InlineData("/t/{org}/oauth2/jwks", "get", "500", "server_error")]
    [InlineData("/t/{org}/oauth2/ciba", "post", "429", "temporarily_unavailable")]
    [InlineData("/t/{org}/oauth2/token", "post", "429", "temporarily_unavailable")]
    [InlineData("/t/{org}/oauth2/revoke", "post", "429", "temporarily_unavailable")]
    [InlineData("/t/{org}/oauth2/introspect", "post", "429", "temporarily_unavailable")]
    public async Task Document_PutsEachErrorUnderItsStatus(string path, string method, string status, string code)
    {
        using var document = await ReadDocumentAsync();
        var response = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status);
        var schema = response.GetProperty("content").GetProperty("application/json").GetProperty("schema");

        Assert.Contains(code, schema.GetProperty("properties").GetProperty("error").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["error", "error_description"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());
    }

    [Fact]
    public async Task Document_DescribesTheBackchannelForm_AndItsSuccessResponse()
    {
        using var document = await ReadDocumentAsync();
        var operation = document.RootElement.GetProperty("paths").GetProperty("/t/{org}/oauth2/ciba").GetProperty("post");

        var form = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/x-www-form-urlencoded").GetProperty("schema");
        var fields = form.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Superset(
            new HashSet<string> { "scope", "login_hint", "id_token_hint", "login_hint_token", "user_code", "binding_message", "requested_expiry", "notification_channel", "client_id", "client_secret", "request", "client_assertion_type", "client_assertion" },
            fields.ToHashSet());
        Assert.Equal(["scope"], form.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["email", "sms", "external"], form.GetProperty("properties").GetProperty("notification_channel").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("org", Assert.Single(operation.GetProperty("parameters").EnumerateArray()).GetProperty("name").GetString());
        Assert.True(operation.TryGetProperty("security", out _));

        var success = Resolve(document, operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var properties = success.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "auth_req_id", "expires_in", "interval", "auth_url" }, properties);
    }

    [Fact]
    public async Task Document_NamesThePublicOriginAsItsServer()
    {
        using var document = await ReadDocumentAsync();

        Assert.Equal(CibaWebFactory.PublicOrigin, document.RootElement.GetProperty("servers")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task BrowsableReference_OutsideDevelopment_IsNotServed()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static IEnumerable<string> DocumentedErrorCodes(JsonDocument document) =>
        document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .SelectMany(operation => operation.Value.GetProperty("responses").EnumerateObject())
            .Where(response => response.Value.TryGetProperty("content", out _))
            .Select(response => response.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema"))
            .Where(schema => schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty("error", out _))
            .SelectMany(schema => schema.GetProperty("properties").GetProperty("error").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!))
            .Distinct(StringComparer.Ordinal);

    private static JsonElement Resolve(JsonDocument document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var name = reference.GetString()!["#/components/schemas/".Length..];
        return document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    private async Task<JsonDocument> ReadDocumentAsync()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
    }
}

/// <summary>The app in Development, where the browsable reference is served.</summary>
public sealed class DevelopmentWebFactory : CibaWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}

public class ApiReferenceTests(DevelopmentWebFactory factory) : IClassFixture<DevelopmentWebFactory>
{
    [Fact]
    public async Task BrowsableReference_InDevelopment_LoadsTheDocumentFromThisServer()
    {
        using var client = factory.CreateClient();

        using var page = await client.GetAsync("/scalar");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(html.Contains("openapi/v1.json", StringComparison.Ordinal) || html.Contains("openapi\\u002Fv1.json", StringComparison.Ordinal), html);
        Assert.Contains("'unsafe-inline'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var script = await client.GetAsync("/scalar/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task OtherPages_InDevelopment_KeepTheStrictPolicy()
    {
        using var client = factory.CreateClient();

        using var page = await client.GetAsync("/t/demo/login");

        Assert.DoesNotContain("unsafe-inline", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
