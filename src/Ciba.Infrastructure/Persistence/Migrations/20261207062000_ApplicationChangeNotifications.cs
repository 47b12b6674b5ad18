using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ciba.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// ADR 0031: every committed change to an application (insert, update, delete, truncate, a
    /// cascade from its organization) notifies the nodes' application caches on the
    /// <c>ciba_applications</c> channel. The model does not change, so no model snapshot.
    /// </summary>
    [DbContext(typeof(CibaDbContext))]
    [Migration("20261207062000_ApplicationChangeNotifications")]
    public partial class ApplicationChangeNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION applications_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('ciba_applications', '');
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER applications_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Applications"
                    FOR EACH STATEMENT EXECUTE FUNCTION applications_notify_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS applications_changed ON "Applications";
                DROP FUNCTION IF EXISTS applications_notify_change();
                """);
        }
    }
}
