using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ciba.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AcrLevels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Acr",
                table: "RefreshTokens",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Amr",
                table: "RefreshTokens",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Acr",
                table: "BackchannelRequests",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Amr",
                table: "BackchannelRequests",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MinimumAcr",
                table: "BackchannelRequests",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedAcrValues",
                table: "BackchannelRequests",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MinimumAcr",
                table: "Applications",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Acr",
                table: "RefreshTokens");

            migrationBuilder.DropColumn(
                name: "Amr",
                table: "RefreshTokens");

            migrationBuilder.DropColumn(
                name: "Acr",
                table: "BackchannelRequests");

            migrationBuilder.DropColumn(
                name: "Amr",
                table: "BackchannelRequests");

            migrationBuilder.DropColumn(
                name: "MinimumAcr",
                table: "BackchannelRequests");

            migrationBuilder.DropColumn(
                name: "RequestedAcrValues",
                table: "BackchannelRequests");

            migrationBuilder.DropColumn(
                name: "MinimumAcr",
                table: "Applications");
        }
    }
}
