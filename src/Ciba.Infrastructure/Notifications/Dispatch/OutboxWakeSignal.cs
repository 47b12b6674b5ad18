using System.Threading.Channels;

namespace Ciba.Infrastructure.Notifications.Dispatch;

/// <summary>Wakes this node's dispatcher when a message was just queued here, so it need not wait for its next poll.</summary>
public sealed class OutboxWakeSignal
{
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _signals.Writer.TryWrite(true);

    /// <summary>Waits for a signal or until <paramref name="timeout"/> (real time: a test's frozen clock must not stop the poll).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _signals.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
