using System.Collections.Concurrent;
using Ciba.Domain.Audit;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// Writes an accepted backchannel request's new rows (the request, its audit event, its outbox
/// messages) as one batch of prepared <c>INSERT</c>s (docs/decisions/0033-explicit-preparation-of-the-hot-statements.md).
/// Each statement's columns, order and parameter types come from the EF model, so a column added to
/// the model is written here too; values go through the model's type mappings and converters. The batch is sent with
/// one Sync, so PostgreSQL runs it as one implicit transaction: every row or none (as EF's batch did,
/// ADR 0031). Only new rows of the three types above qualify; anything else tracked answers
/// <c>false</c> from <see cref="CanWrite"/> and is left to <c>SaveChanges</c>.
/// </summary>
public static class PreparedInserts
{
    private static readonly Type[] InsertOnlyTypes = [typeof(BackchannelAuthenticationRequest), typeof(AuditEvent), typeof(OutgoingMessage)];

    private static readonly ConcurrentDictionary<IEntityType, InsertStatement> Statements = new();

    /// <summary>Whether every tracked entry is a new row of a type this writer handles, with no value still to be generated.</summary>
    public static bool CanWrite(DbContext db) => Collect(db) is not null;

    /// <summary>
    /// The added rows (principals first) when every tracked entry is a new row of a type this writer
    /// handles with no value still to be generated; otherwise null. Changes are detected once, here.
    /// </summary>
    public static IReadOnlyList<EntityEntry>? Collect(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var added = new List<EntityEntry>(4);
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Unchanged || entry.State == EntityState.Detached)
            {
                continue;
            }

            if (entry.State != EntityState.Added || Array.IndexOf(InsertOnlyTypes, entry.Metadata.ClrType) < 0
                || HasTemporaryValue(entry))
            {
                return null;
            }

            added.Add(entry);
        }

        return added.Count == 0 ? null : added.OrderBy(e => Array.IndexOf(InsertOnlyTypes, e.Metadata.ClrType)).ToList();
    }

    /// <summary>Inserts the rows <see cref="Collect"/> gave, then marks them saved with their row versions.</summary>
    public static async Task<IReadOnlyList<EntityEntry>> WriteAsync(IReadOnlyList<EntityEntry> entries, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        using var parameterFactory = new NpgsqlCommand();
        foreach (var entry in entries)
        {
            var statement = Statements.GetOrAdd(entry.Metadata, InsertStatement.For);
            var command = new NpgsqlBatchCommand(statement.Sql);
            var values = entry.CurrentValues;
            for (var i = 0; i < statement.Properties.Length; i++)
            {
                var property = statement.Properties[i];
                var mapping = statement.Mappings[i];
                var value = values[property];
                // The mapping applies the model's value converter (enums to numbers, and so on).
                var parameter = mapping.CreateParameter(parameterFactory, string.Empty, value, property.IsNullable);
                parameter.ParameterName = string.Empty;
                command.Parameters.Add((NpgsqlParameter)parameter);
            }

            batch.BatchCommands.Add(command);
        }

        try
        {
            await using var reader = await batch.ExecutePreparedReaderAsync(cancellationToken);
            foreach (var entry in entries)
            {
                var statement = Statements[entry.Metadata];
                if (statement.RowVersion is { } rowVersion)
                {
                    await reader.ReadAsync(cancellationToken);
                    entry.Property(rowVersion.Name).CurrentValue = reader.GetFieldValue<uint>(0);
                }

                await reader.NextResultAsync(cancellationToken);
            }
        }
        catch (NpgsqlException exception)
        {
            // The same failure SaveChanges reports, so callers and the outage detection see no difference.
            throw new DbUpdateException("The accepted request's rows could not be saved.", exception);
        }

        foreach (var entry in entries)
        {
            entry.State = EntityState.Unchanged;
        }

        return entries;
    }

    // Only a generated property can hold a temporary value; looking at those alone spares a
    // PropertyEntry for every column of every row.
    private static bool HasTemporaryValue(EntityEntry entry)
    {
        foreach (var property in entry.Metadata.GetProperties())
        {
            if (property.ValueGenerated != ValueGenerated.Never && entry.Property(property).IsTemporary)
            {
                return true;
            }
        }

        return false;
    }

    private sealed record InsertStatement(string Sql, IProperty[] Properties, RelationalTypeMapping[] Mappings, IProperty? RowVersion)
    {
        public static InsertStatement For(IEntityType entityType)
        {
            var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            var rowVersion = entityType.GetProperties().SingleOrDefault(p => p.IsConcurrencyToken && p.ValueGenerated == ValueGenerated.OnAddOrUpdate);
            var properties = entityType.GetProperties()
                .Where(p => p != rowVersion && p.GetColumnName(table) is not null)
                .ToArray();
            var columns = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(table)!)));
            var values = string.Join(", ", properties.Select((_, i) => "$" + (i + 1)));
            var name = table.Schema is null ? Quote(table.Name) : Quote(table.Schema) + "." + Quote(table.Name);
            var returning = rowVersion is null ? string.Empty : " RETURNING " + Quote(rowVersion.GetColumnName(table)!);
            return new InsertStatement(
                $"INSERT INTO {name} ({columns}) VALUES ({values}){returning}",
                properties,
                properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray(),
                rowVersion);
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
