using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ciba.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PerOrganizationSigningKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The one shared key belonged to no organization: each organization makes its own on first use (ADR 0015).
            migrationBuilder.Sql("DELETE FROM \"SigningKeys\";");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ActivatesAt",
                table: "SigningKeys",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<Guid>(
                name: "OrganizationId",
                table: "SigningKeys",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateIndex(
                name: "IX_SigningKeys_OrganizationId_ActivatesAt",
                table: "SigningKeys",
                columns: new[] { "OrganizationId", "ActivatesAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_SigningKeys_Organizations_OrganizationId",
                table: "SigningKeys",
                column: "OrganizationId",
                principalTable: "Organizations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_SigningKeys_Organizations_OrganizationId",
                table: "SigningKeys");

            migrationBuilder.DropIndex(
                name: "IX_SigningKeys_OrganizationId_ActivatesAt",
                table: "SigningKeys");

            migrationBuilder.DropColumn(
                name: "ActivatesAt",
                table: "SigningKeys");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "SigningKeys");
        }
    }
}
