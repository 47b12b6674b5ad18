using Ciba.Domain.Applications;
using Ciba.Infrastructure.Persistence;
using Ciba.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Ciba.Application.Tests.Persistence;

/// <summary>Issue 13 item 4: the migration drops stored grant types the token endpoint does not serve.</summary>
public class ServedGrantTypesMigrationTests
{
    [Fact]
    public async Task Migration_DropsGrantTypesThatAreNotServed_AndKeepsCiba()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("grants");
        try
        {
            await using var db = new CibaDbContext(new DbContextOptionsBuilder<CibaDbContext>().UseNpgsql(connectionString).Options);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261126010307_Initial");
            await ExecuteAsync(connectionString, """
                INSERT INTO "Organizations" ("Id", "Handle", "Name", "CreatedAt") VALUES ('00000000-0000-0000-0000-000000000001', 'acme', 'Acme', now());
                INSERT INTO "Applications" ("Id", "OrganizationId", "Name", "ClientId", "ClientSecretHash", "GrantTypes", "CibaExpirySeconds", "CibaChannels", "CibaPollingIntervalSeconds", "CreatedAt", "UpdatedAt") VALUES
                  ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-000000000001', 'TV', 'tv', 'h', ARRAY['urn:openid:params:grant-type:ciba', 'refresh_token'], 120, 7, 2, now(), now()),
                  ('00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-000000000001', 'Web', 'web', 'h', ARRAY['authorization_code', 'refresh_token', 'client_credentials'], 120, 7, 2, now(), now()),
                  ('00000000-0000-0000-0000-00000000000c', '00000000-0000-0000-0000-000000000001', 'Kiosk', 'kiosk', 'h', ARRAY['urn:openid:params:grant-type:ciba'], 120, 4, 2, now(), now());
                """);

            await migrator.MigrateAsync();

            var grants = await db.Applications.AsNoTracking().OrderBy(a => a.ClientId).ToDictionaryAsync(a => a.ClientId, a => a.GrantTypes);
            Assert.Equal([GrantTypes.Ciba], grants["kiosk"]);
            Assert.Equal([GrantTypes.Ciba], grants["tv"]);
            Assert.Empty(grants["web"]);
            Assert.All(grants.Values.SelectMany(g => g), g => Assert.True(GrantTypes.IsServed(g)));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task TokenLifecycleMigration_KeepsCibaAndRefreshToken_DropsTheRest_AndGivesDefaultRefreshSettings()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("grants");
        try
        {
            await using var db = new CibaDbContext(new DbContextOptionsBuilder<CibaDbContext>().UseNpgsql(connectionString).Options);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261207011506_RetentionPeriods");
            await ExecuteAsync(connectionString, """
                INSERT INTO "Organizations" ("Id", "Handle", "Name", "CreatedAt") VALUES ('00000000-0000-0000-0000-000000000001', 'acme', 'Acme', now());
                INSERT INTO "Applications" ("Id", "OrganizationId", "Name", "ClientId", "ClientSecretHash", "GrantTypes", "CibaExpirySeconds", "CibaChannels", "CibaPollingIntervalSeconds", "CreatedAt", "UpdatedAt") VALUES
                  ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-000000000001', 'TV', 'tv', 'h', ARRAY['urn:openid:params:grant-type:ciba', 'refresh_token', 'client_credentials'], 120, 7, 2, now(), now()),
                  ('00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-000000000001', 'Web', 'web', 'h', ARRAY['authorization_code'], 120, 7, 2, now(), now());
                """);

            await migrator.MigrateAsync();

            var applications = await db.Applications.AsNoTracking().OrderBy(a => a.ClientId).ToDictionaryAsync(a => a.ClientId);
            Assert.Equal([GrantTypes.Ciba, GrantTypes.RefreshToken], applications["tv"].GrantTypes);
            Assert.Empty(applications["web"].GrantTypes);
            Assert.Equal(RefreshTokenSettings.Default, applications["tv"].RefreshTokens);
            Assert.Empty(applications["tv"].ApiScopes);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
