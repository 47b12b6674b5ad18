using System.Diagnostics;
using System.Text.Json;
using Ciba.Application.Backchannel.Decide;
using Ciba.Application.Common.Interfaces;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Interop;

/// <summary>
/// product.md §7: openid-client (a certified relying-party library, run with the machine's Node.js)
/// discovers the issuer, runs the poll-mode flow and validates the ID token, while the test
/// approves the request through the application layer as the consent page will.
/// </summary>
public sealed class OpenIdClientInteropTests(InteropServerFactory server) : IClassFixture<InteropServerFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task OpenIdClient_PollModeFlowWithApproval_GetsTokensRefreshesAndRevokes()
    {
        var directory = InteropDirectory();
        await EnsurePackagesAsync(directory);
        using var node = StartNode(directory, "ciba-poll-flow.mjs", new Dictionary<string, string>
        {
            ["CIBA_ISSUER"] = $"{server.PublicOrigin}/t/demo/oauth2/token",
            ["CIBA_CLIENT_ID"] = "demo-tv",
            ["CIBA_CLIENT_SECRET"] = "demo-tv-secret",
            ["CIBA_LOGIN_HINT"] = "alice",
        });
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);

        try
        {
            var ack = await ReadJsonLineAsync(node, timeout.Token);
            var authUrl = new Uri(ack.GetProperty("auth_url").GetString()!);
            Assert.Equal(2, ack.GetProperty("interval").GetInt32());
            await ApproveAsync(Uri.UnescapeDataString(authUrl.Query["?authCodeKey=".Length..]), "alice");

            var result = (await ReadJsonLineAsync(node, timeout.Token)).GetProperty("result");
            await node.WaitForExitAsync(timeout.Token);

            Assert.Equal(0, node.ExitCode);
            var aliceId = await UserIdAsync("alice");
            Assert.Equal($"{server.PublicOrigin}/t/demo/oauth2/token", result.GetProperty("issuer").GetString());
            Assert.Equal(aliceId.ToString(), result.GetProperty("sub").GetString());
            Assert.Equal(aliceId.ToString(), result.GetProperty("verified_sub").GetString());
            Assert.False(string.IsNullOrEmpty(result.GetProperty("id_token_kid").GetString()));
            Assert.Equal("at+jwt", result.GetProperty("access_token_typ").GetString());
            Assert.Equal("bearer", result.GetProperty("token_type").GetString());
            Assert.Equal("alice", result.GetProperty("userinfo_preferred_username").GetString());

            // product.md §13 through openid-client: the refresh rotates and keeps the person and
            // auth_time; the revoked refresh token no longer refreshes.
            Assert.Equal(aliceId.ToString(), result.GetProperty("refreshed_sub").GetString());
            Assert.Equal(result.GetProperty("auth_time").GetInt64(), result.GetProperty("refreshed_auth_time").GetInt64());
            Assert.True(result.GetProperty("refresh_rotated").GetBoolean());
            Assert.True(result.GetProperty("refreshed_access_token").GetBoolean());
            Assert.Equal("invalid_grant", result.GetProperty("revoked_refresh_error").GetString());
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }

            throw new InvalidOperationException("The openid-client flow failed: " + await stderr, exception);
        }
    }

    /// <summary>product.md §10: openid-client authenticates demo-bank with private_key_jwt through the whole flow, with a signed request.</summary>
    [Fact]
    public async Task OpenIdClient_PrivateKeyJwtWithSignedRequest_GetsAndValidatesTokens()
    {
        var directory = InteropDirectory();
        await EnsurePackagesAsync(directory);
        using var node = StartNode(directory, "ciba-private-key-jwt-flow.mjs", new Dictionary<string, string>
        {
            ["CIBA_ISSUER"] = $"{server.PublicOrigin}/t/demo/oauth2/token",
            ["CIBA_CLIENT_ID"] = "demo-bank",
            ["CIBA_PRIVATE_JWKS"] = Path.Combine(AppContext.BaseDirectory, "Protocol", "Fapi", "demo-bank.private.jwks.json"),
            ["CIBA_LOGIN_HINT"] = "alice",
        });
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);

        try
        {
            var ack = await ReadJsonLineAsync(node, timeout.Token);
            var authUrl = new Uri(ack.GetProperty("auth_url").GetString()!);
            Assert.Equal(120, ack.GetProperty("expires_in").GetInt32());
            await ApproveAsync(Uri.UnescapeDataString(authUrl.Query["?authCodeKey=".Length..]), "alice");

            var result = (await ReadJsonLineAsync(node, timeout.Token)).GetProperty("result");
            await node.WaitForExitAsync(timeout.Token);

            Assert.Equal(0, node.ExitCode);
            var aliceId = await UserIdAsync("alice");
            Assert.Equal(aliceId.ToString(), result.GetProperty("sub").GetString());
            Assert.Equal(aliceId.ToString(), result.GetProperty("verified_sub").GetString());
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }

            throw new InvalidOperationException("The openid-client private_key_jwt flow failed: " + await stderr, exception);
        }
    }

    private static async Task<JsonElement> ReadJsonLineAsync(Process node, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await node.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException($"openid-client ended early (exit {(node.HasExited ? node.ExitCode : -1)}).");
            if (line.StartsWith('{'))
            {
                return JsonDocument.Parse(line).RootElement.Clone();
            }
        }
    }

    private async Task ApproveAsync(string linkKey, string userName)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var organization = (await scope.ServiceProvider.GetRequiredService<IOrganizationLookup>().FindByHandleAsync("demo", CancellationToken.None))!;
        scope.ServiceProvider.GetRequiredService<IOrganizationContext>().Enter(organization.Id, organization.Handle);
        var user = await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindByLoginHintAsync(organization.Id, userName, CancellationToken.None);
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>()
            .Send(new ApproveBackchannelRequestCommand(organization.Id, linkKey, user!.Id, DateTimeOffset.UtcNow));
        Assert.True(result.IsSuccess, result.Error?.Code);
    }

    private async Task<Guid> UserIdAsync(string userName)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var organization = (await scope.ServiceProvider.GetRequiredService<IOrganizationLookup>().FindByHandleAsync("demo", CancellationToken.None))!;
        return (await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindByLoginHintAsync(organization.Id, userName, CancellationToken.None))!.Id;
    }

    /// <summary>node_modules is not committed: install the locked packages once, from the npm registry.</summary>
    private static async Task EnsurePackagesAsync(string directory)
    {
        if (File.Exists(Path.Combine(directory, "node_modules", "openid-client", "package.json")))
        {
            return;
        }

        using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync();
        Assert.True(npm.ExitCode == 0, "npm ci failed: " + await output + await errors);
    }

    private static Process StartNode(string directory, string script, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    private static string InteropDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Ciba.Web.Tests", "Interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/Ciba.Web.Tests/Interop was not found above the test output.");
    }
}
