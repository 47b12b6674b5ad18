using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ciba.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ClientAuthenticationAndSignedRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Jwks",
                table: "Applications",
                type: "character varying(16384)",
                maxLength: 16384,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "JwksUri",
                table: "Applications",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RequireSignedRequests",
                table: "Applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "TokenEndpointAuthMethod",
                table: "Applications",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "client_secret_basic_or_post"); // ADR 0022: existing applications keep accepting either secret method.

            migrationBuilder.CreateTable(
                name: "UsedJwtIds",
                columns: table => new
                {
                    ApplicationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Jti = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsedJwtIds", x => new { x.ApplicationId, x.Jti });
                    table.ForeignKey(
                        name: "FK_UsedJwtIds_Applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "Applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsedJwtIds_ExpiresAt",
                table: "UsedJwtIds",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsedJwtIds");

            migrationBuilder.DropColumn(
                name: "Jwks",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "JwksUri",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "RequireSignedRequests",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "TokenEndpointAuthMethod",
                table: "Applications");
        }
    }
}
