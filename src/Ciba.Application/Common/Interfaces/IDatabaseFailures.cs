namespace Ciba.Application.Common.Interfaces;

/// <summary>Tells a passing database outage (a restart, a refused or timed-out connection, too many connections) from a bug.</summary>
public interface IDatabaseFailures
{
    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps, is a transient failure of the
    /// database. Idle pooled connections are then dropped, so the next attempt opens fresh ones.
    /// </summary>
    bool IsTransient(Exception exception);
}

public static class DatabaseFailuresExtensions
{
    /// <summary>
    /// Runs an idempotent read, and runs it once more, at once, when it failed transiently: the
    /// usual cause is a pooled connection that a database restart broke, and the pool has just been
    /// cleared. A second failure is the caller's to answer (503).
    /// </summary>
    public static async Task<T> RetryReadOnceAsync<T>(this IDatabaseFailures failures, Func<Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read();
        }
        catch (Exception exception) when (failures.IsTransient(exception))
        {
            return await read();
        }
    }
}
