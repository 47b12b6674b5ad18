using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Tokens;

/// <summary>Issue 13 item 7: the retention job purges revoked or expired refresh tokens and expired revoked-jti rows, and keeps the rest.</summary>
public sealed class TokenRetentionTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly TokenLifecycleClient _client = new(factory);

    [Fact]
    public async Task Purge_DeletesRevokedRefreshTokensAndExpiredRevokedJtis_KeepsActiveTokens()
    {
        var revoked = await _client.GrantAsync();
        var active = await _client.GrantAsync();
        using (await _client.RevokeAsync(revoked.RefreshToken!))
        using (await _client.RevokeAsync(revoked.AccessToken))
        {
        }

        factory.Time.Advance(TimeSpan.FromSeconds(1));
        var kept = await PurgeAsync();
        Assert.Null(await _client.StoredRefreshTokenAsync(revoked.RefreshToken!));
        Assert.Equal(1, await RevokedJtisAsync());

        factory.Time.Advance(TimeSpan.FromHours(1));
        await PurgeAsync();

        Assert.Equal(0, await RevokedJtisAsync());
        Assert.NotNull(await _client.StoredRefreshTokenAsync(active.RefreshToken!));
        await _client.RefreshOkAsync(active.RefreshToken!);
    }

    /// <summary>Purges once this test's purge ran (the hosted job may hold the lock for a moment).</summary>
    private async Task<RetentionPurgeResult> PurgeAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await factory.Services.GetRequiredService<RetentionPurger>().PurgeAsync(CancellationToken.None);
            if (result.Ran || attempt == 50)
            {
                return result;
            }

            await Task.Delay(100);
        }
    }

    private async Task<int> RevokedJtisAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CibaDbContext>().RevokedAccessTokens.CountAsync();
    }

    public void Dispose() => _client.Dispose();
}
