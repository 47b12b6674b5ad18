using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ciba.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AntiFatigueAndAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BackchannelRequests_UserId",
                table: "BackchannelRequests");

            migrationBuilder.AddColumn<int>(
                name: "CooldownMinutes",
                table: "Organizations",
                type: "integer",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<int>(
                name: "MaxPendingPerUser",
                table: "Organizations",
                type: "integer",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.AddColumn<int>(
                name: "MaxRequestsPerUserPerClient",
                table: "Organizations",
                type: "integer",
                nullable: false,
                defaultValue: 5);

            migrationBuilder.AddColumn<bool>(
                name: "NumberMatching",
                table: "Applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "RateLimitPerMinute",
                table: "Applications",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorKind = table.Column<int>(type: "integer", nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ApplicationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Outcome = table.Column<int>(type: "integer", nullable: false),
                    Detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    SourceAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditEvents_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RequestReports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ApplicationId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    BackchannelRequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    Reason = table.Column<int>(type: "integer", nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CooldownUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CooldownEndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CooldownEndedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RequestReports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RequestReports_Applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "Applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RequestReports_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BackchannelRequests_UserId_CreatedAt",
                table: "BackchannelRequests",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_OrganizationId_OccurredAt_Id",
                table: "AuditEvents",
                columns: new[] { "OrganizationId", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_OrganizationId_UserId_OccurredAt",
                table: "AuditEvents",
                columns: new[] { "OrganizationId", "UserId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RequestReports_ApplicationId_UserId_CooldownUntil",
                table: "RequestReports",
                columns: new[] { "ApplicationId", "UserId", "CooldownUntil" });

            migrationBuilder.CreateIndex(
                name: "IX_RequestReports_OrganizationId_ReportedAt",
                table: "RequestReports",
                columns: new[] { "OrganizationId", "ReportedAt" });

            // Append-only (ADR 0027): an audit event is never changed; only the retention purge deletes.
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit events are append-only';
                END
                $$;
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON "AuditEvents"
                    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_events_no_update ON \"AuditEvents\"; DROP FUNCTION IF EXISTS audit_events_append_only();");

            migrationBuilder.DropTable(
                name: "AuditEvents");

            migrationBuilder.DropTable(
                name: "RequestReports");

            migrationBuilder.DropIndex(
                name: "IX_BackchannelRequests_UserId_CreatedAt",
                table: "BackchannelRequests");

            migrationBuilder.DropColumn(
                name: "CooldownMinutes",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "MaxPendingPerUser",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "MaxRequestsPerUserPerClient",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "NumberMatching",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "RateLimitPerMinute",
                table: "Applications");

            migrationBuilder.CreateIndex(
                name: "IX_BackchannelRequests_UserId",
                table: "BackchannelRequests",
                column: "UserId");
        }
    }
}
