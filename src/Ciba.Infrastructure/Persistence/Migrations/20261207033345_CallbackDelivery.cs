using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ciba.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CallbackDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "DeliveryMode",
                table: "BackchannelRequests",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedCallback",
                table: "BackchannelRequests",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClientNotificationEndpoint",
                table: "Applications",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TokenDeliveryMode",
                table: "Applications",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "DeliveryAttempts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OutgoingMessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    AttemptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Outcome = table.Column<int>(type: "integer", nullable: false),
                    Detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliveryAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeliveryAttempts_OutgoingMessages_OutgoingMessageId",
                        column: x => x.OutgoingMessageId,
                        principalTable: "OutgoingMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BackchannelRequests_CallbackExpiry",
                table: "BackchannelRequests",
                column: "ExpiresAt",
                filter: "\"ProtectedCallback\" IS NOT NULL AND \"Status\" = 0");

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAttempts_OutgoingMessageId_Number",
                table: "DeliveryAttempts",
                columns: new[] { "OutgoingMessageId", "Number" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeliveryAttempts");

            migrationBuilder.DropIndex(
                name: "IX_BackchannelRequests_CallbackExpiry",
                table: "BackchannelRequests");

            migrationBuilder.DropColumn(
                name: "DeliveryMode",
                table: "BackchannelRequests");

            migrationBuilder.DropColumn(
                name: "ProtectedCallback",
                table: "BackchannelRequests");

            migrationBuilder.DropColumn(
                name: "ClientNotificationEndpoint",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "TokenDeliveryMode",
                table: "Applications");
        }
    }
}
