using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ciba.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LastPollTooSoon : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "LastPollTooSoon",
                table: "BackchannelRequests",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastPollTooSoon",
                table: "BackchannelRequests");
        }
    }
}
