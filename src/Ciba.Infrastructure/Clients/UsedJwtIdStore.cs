using Ciba.Application.Clients.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;

namespace Ciba.Infrastructure.Clients;

/// <summary>A <c>jti</c> a client used (prefixed with what it identified), kept until the JWT expires.</summary>
internal sealed class UsedJwtId
{
    public const int MaxJtiLength = 256;

    public Guid ApplicationId { get; set; }

    public string Jti { get; set; } = string.Empty;

    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class UsedJwtIdConfiguration : IEntityTypeConfiguration<UsedJwtId>
{
    public void Configure(EntityTypeBuilder<UsedJwtId> builder)
    {
        builder.ToTable("UsedJwtIds");
        builder.HasKey(u => new { u.ApplicationId, u.Jti });
        builder.Property(u => u.Jti).HasMaxLength(UsedJwtId.MaxJtiLength);
        builder.HasIndex(u => u.ExpiresAt);
        builder.HasOne<Domain.Applications.ClientApplication>().WithMany().HasForeignKey(u => u.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Single use across nodes: one insert that fails on the primary key when the <c>jti</c> is
/// already there and unexpired (a row whose JWT has expired is taken over). The retention purge
/// deletes expired rows.
/// </summary>
internal sealed class UsedJwtIdStore(NpgsqlDataSource dataSource, TimeProvider time) : IUsedJwtIds
{
    private const string Insert = """
        INSERT INTO "UsedJwtIds" ("ApplicationId", "Jti", "ExpiresAt") VALUES ($1, $2, $3)
        ON CONFLICT ("ApplicationId", "Jti") DO UPDATE SET "ExpiresAt" = EXCLUDED."ExpiresAt"
        WHERE "UsedJwtIds"."ExpiresAt" < $4
        """;

    private const string Purge = """DELETE FROM "UsedJwtIds" WHERE "ExpiresAt" < $1""";

    public async Task<bool> TryUseAsync(Guid applicationId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jti);
        if (jti.Length > UsedJwtId.MaxJtiLength)
        {
            return false;
        }

        await using var command = dataSource.CreateCommand(Insert);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = applicationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jti });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = expiresAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Deletes the rows whose JWT has expired (called by the retention purge).</summary>
    public static async Task<int> PurgeExpiredAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Purge, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
