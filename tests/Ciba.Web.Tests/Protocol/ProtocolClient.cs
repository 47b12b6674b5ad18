using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ciba.Application.Backchannel.Decide;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Protocol;

/// <summary>Talks to the protocol endpoints of the demo organization like a client would, and decides requests like the person would.</summary>
public sealed class ProtocolClient(CibaWebFactory factory) : IDisposable
{
    public const string BackchannelPath = "/t/demo/oauth2/ciba";
    public const string TokenPath = "/t/demo/oauth2/token";
    public const string CibaGrant = "urn:openid:params:grant-type:ciba";

    public HttpClient Http { get; } = factory.CreateClient();

    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));

    public static Dictionary<string, string> SeedRequest() => new()
    {
        ["scope"] = "openid profile",
        ["login_hint"] = "admin",
        ["binding_message"] = "Please authenticate to My App",
    };

    public static Dictionary<string, string> ExternalRequest(string loginHint = "alice") => new()
    {
        ["scope"] = "openid profile email phone",
        ["login_hint"] = loginHint,
        ["notification_channel"] = "external",
    };

    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> form, string? clientId = "demo-tv", string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (clientId is not null)
        {
            request.Headers.Authorization = Basic(clientId, secret ?? clientId + "-secret");
        }

        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> BackchannelAsync(IEnumerable<KeyValuePair<string, string>> form, string? clientId = "demo-tv", string? secret = null) =>
        PostFormAsync(BackchannelPath, form, clientId, secret);

    public Task<HttpResponseMessage> PollAsync(string authReqId, string clientId = "demo-tv") =>
        PostFormAsync(TokenPath, new Dictionary<string, string> { ["grant_type"] = CibaGrant, ["auth_req_id"] = authReqId }, clientId);

    /// <summary>Starts a request on the external channel and returns its auth_req_id and the link key from auth_url.</summary>
    public async Task<(string AuthReqId, string LinkKey)> StartExternalAsync(string clientId = "demo-tv", string loginHint = "alice", Action<Dictionary<string, string>>? adjust = null)
    {
        var form = ExternalRequest(loginHint);
        adjust?.Invoke(form);
        using var response = await BackchannelAsync(form, clientId);
        await AssertOkAsync(response);
        using var json = await ReadJsonAsync(response);
        var authUrl = new Uri(json.RootElement.GetProperty("auth_url").GetString()!);
        var linkKey = Uri.UnescapeDataString(authUrl.Query["?authCodeKey=".Length..]);
        return (json.RootElement.GetProperty("auth_req_id").GetString()!, linkKey);
    }

    public Task<Result> ApproveAsync(string linkKey, string userName = "alice") =>
        DecideAsync(userName, (organizationId, userId) =>
            new ApproveBackchannelRequestCommand(organizationId, linkKey, userId, factory.Time.GetUtcNow()));

    public Task<Result> DenyAsync(string linkKey, string userName = "alice") =>
        DecideAsync(userName, (organizationId, userId) => new DenyBackchannelRequestCommand(organizationId, linkKey, userId));

    public async Task<Guid> UserIdAsync(string userName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var organization = await OrganizationAsync(scope.ServiceProvider);
        var user = await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindByLoginHintAsync(organization.Id, userName, CancellationToken.None);
        return user!.Id;
    }

    public static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());

    public static async Task AssertOkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
    }

    /// <summary>An OAuth error response: status, code, no-store, and a body with only error and a safe error_description.</summary>
    public static async Task AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store is missing.");
        using var json = JsonDocument.Parse(body);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["error", "error_description"], names);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        var description = json.RootElement.GetProperty("error_description").GetString()!;
        Assert.All(description, c => Assert.True(c is >= ' ' and <= '~' and not '"' and not '\\', $"Unsafe character in '{description}'."));
    }

    public void Dispose() => Http.Dispose();

    private async Task<Result> DecideAsync(string userName, Func<Guid, Guid, IRequest<Result>> command)
    {
        var userId = await UserIdAsync(userName);
        await using var scope = factory.Services.CreateAsyncScope();
        var organization = await OrganizationAsync(scope.ServiceProvider);
        scope.ServiceProvider.GetRequiredService<IOrganizationContext>().Enter(organization.Id, organization.Handle);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command(organization.Id, userId));
    }

    private static async Task<OrganizationSummary> OrganizationAsync(IServiceProvider services) =>
        (await services.GetRequiredService<IOrganizationLookup>().FindByHandleAsync("demo", CancellationToken.None))!;
}
