using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Testing;

/// <summary>
/// CIBA auth requests written straight through the app's <see cref="IApplicationDbContext"/>, as the
/// backchannel endpoint stores them (hashes only), for tests of the pages that act on them.
/// </summary>
public static class AuthRequests
{
    /// <summary>Creates a pending request of the demo organization and returns the raw link key.</summary>
    public static async Task<string> CreatePendingAsync(
        IServiceProvider services,
        string userName,
        string? bindingMessage = null,
        string scope = "openid",
        int expiresInSeconds = 3600,
        string clientId = "demo-tv",
        string organizationHandle = "demo")
    {
        await using var serviceScope = services.CreateAsyncScope();
        var provider = serviceScope.ServiceProvider;
        var db = provider.GetRequiredService<IApplicationDbContext>();
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Handle == organizationHandle);
        var application = await db.Applications.AsNoTracking().SingleAsync(a => a.OrganizationId == organization.Id && a.ClientId == clientId);
        var user = await provider.GetRequiredService<IUserDirectory>().FindByLoginHintAsync(organization.Id, userName, CancellationToken.None)
            ?? throw new InvalidOperationException($"No user {userName} in {organizationHandle}.");

        var linkKey = RandomTokens.Create();
        db.BackchannelRequests.Add(BackchannelAuthenticationRequest.Create(
            organization.Id,
            application.Id,
            user.Id,
            SecretHashing.HashToken(RandomTokens.Create()),
            SecretHashing.HashToken(linkKey),
            scope,
            bindingMessage,
            NotificationChannels.External,
            expiresInSeconds,
            intervalSeconds: 2,
            provider.GetRequiredService<TimeProvider>().GetUtcNow()));
        await db.SaveChangesAsync(CancellationToken.None);
        return linkKey;
    }

    public static async Task<BackchannelRequestStatus> StatusAsync(IServiceProvider services, string linkKey)
    {
        await using var serviceScope = services.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var hash = SecretHashing.HashToken(linkKey);
        return await db.BackchannelRequests.AsNoTracking().Where(r => r.LinkKeyHash == hash).Select(r => r.Status).SingleAsync();
    }

    public static string LinkPath(string linkKey, string organizationHandle = "demo") =>
        $"/t/{organizationHandle}/oauth2/ciba_authorize?authCodeKey={Uri.EscapeDataString(linkKey)}";
}
