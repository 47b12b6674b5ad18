using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ciba.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RetentionPeriods : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AuditRetentionDays",
                table: "Organizations",
                type: "integer",
                nullable: false,
                defaultValue: 365);

            migrationBuilder.AddColumn<int>(
                name: "MessageRetentionDays",
                table: "Organizations",
                type: "integer",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<int>(
                name: "RequestRetentionDays",
                table: "Organizations",
                type: "integer",
                nullable: false,
                defaultValue: 30);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AuditRetentionDays",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "MessageRetentionDays",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "RequestRetentionDays",
                table: "Organizations");
        }
    }
}
