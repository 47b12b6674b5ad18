using Microsoft.Extensions.Hosting;

namespace Ciba.Infrastructure.Tokens;

/// <summary>Loads (or creates) the signing keys at start, so no request ever waits for them.</summary>
public sealed class SigningKeyRingWarmup(SigningKeyRing ring) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await ring.GetAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
