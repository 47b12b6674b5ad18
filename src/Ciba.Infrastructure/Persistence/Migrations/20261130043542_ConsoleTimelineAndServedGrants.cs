using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ciba.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ConsoleTimelineAndServedGrants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ViewedAt",
                table: "BackchannelRequests",
                type: "timestamp with time zone",
                nullable: true);

            // Hand-written: applications keep only the grant types the token endpoint serves
            // (GrantTypes.Served: the CIBA grant today); the console no longer offers the others.
            migrationBuilder.Sql(
                """
                UPDATE "Applications"
                SET "GrantTypes" = ARRAY(SELECT g FROM unnest("GrantTypes") AS g WHERE g = 'urn:openid:params:grant-type:ciba')
                WHERE NOT ("GrantTypes" <@ ARRAY['urn:openid:params:grant-type:ciba']::text[]);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ViewedAt",
                table: "BackchannelRequests");
        }
    }
}
