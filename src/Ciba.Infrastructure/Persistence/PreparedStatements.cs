using Npgsql;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// The hot statements run prepared (docs/decisions/0033-explicit-preparation-of-the-hot-statements.md):
/// the first use on a physical connection prepares them in a round trip of its own (Parse, Describe,
/// Sync, no values bound, no transaction open), and every later use on that connection sends only
/// Bind and Execute, so PostgreSQL neither parses nor plans them again. Automatic preparation stays
/// off (ADR 0020): a failing execution of an already-prepared statement leaves nothing half-prepared.
/// </summary>
internal static class PreparedStatements
{
    /// <summary>Prepares the batch's statements on this connection unless they already are, then runs them.</summary>
    public static async Task<NpgsqlDataReader> ExecutePreparedReaderAsync(this NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await batch.PrepareAsync(cancellationToken);
        return await batch.ExecuteReaderAsync(cancellationToken);
    }
}
