using System.Data.Common;
using Npgsql;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// The one Npgsql data source of the process. EF Core opens and closes a pooled connection for each
/// query, so the defaults matter on the hot paths: no <c>DISCARD ALL</c> when a connection returns
/// to the pool (Ciba sets no session state), and no automatic statement preparation
/// (<c>Max Auto Prepare=0</c>): a statement that fails while being auto-prepared can leave a pooled
/// connection out of step with the server, so the next request on it fails (npgsql/npgsql#6391;
/// issue 9 item 3; ADR 0020). The hot statements are prepared explicitly instead (ADR 0033,
/// <see cref="PreparedStatements"/>). A connection string that sets either option keeps its own value.
/// </summary>
public static class CibaDataSource
{
    public static NpgsqlDataSource Create(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 0;
        }

        return builder.Build();
    }
}
