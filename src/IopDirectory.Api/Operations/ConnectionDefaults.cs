using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace IopDirectory.Operations;

/// <summary>
/// Fault-related defaults for the API's connection string, each applied only when the connection string
/// does not set it: a short connect timeout (a database that is down answers fast instead of after
/// Npgsql's 15 s), a server-side <c>statement_timeout</c> on every session, and a client command timeout a
/// little longer than it so the server's clearer error wins; and a pool sized for the database server's cores.
/// <para>
/// Why the pool is small: PostgreSQL does its best work with about one active query a core. A search touches a few
/// hundred buffers, and with 32 concurrent queries on a 2-core server the backends spent their time contending for
/// buffers and being descheduled while holding them: at 1M centres the same API served 78–208 requests/s with a pool of
/// 64 and 234–334 with a pool of 8, each request costing PostgreSQL 7–17 ms of CPU against 4–5 ms
/// (tests/IopDirectory.Benchmarks). Fewer connections also make the latency fair: the requests beyond the pool wait
/// in line (first come, first served) instead of sharing the cores, so a slow query no longer slows every query next to
/// it. With 8 clients, p99 went from 4.1–4.4 times p50 with a pool of 6 to 2.0–2.2 times with a pool of 3.
/// The default, cores plus one (one connection covers the round trips), counts this machine's cores: right for the
/// embedded cluster and a database on the same host. For a server elsewhere, set <c>Maximum Pool Size</c> in the
/// connection string (or <c>Database__MaxPoolSize</c>) to about its cores per API replica, more when some statements
/// wait on disk rather than CPU. Requests that wait longer than the connect timeout get SERVICE_UNAVAILABLE.
/// </para>
/// </summary>
public static class ConnectionDefaults
{
    public static string Apply(string connectionString, DatabaseFaultOptions options)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Timeout") && options.ConnectTimeoutSeconds > 0)
            builder.Timeout = options.ConnectTimeoutSeconds;
        if (options.StatementTimeoutSeconds > 0 && builder.Options?.Contains("statement_timeout", StringComparison.OrdinalIgnoreCase) != true)
        {
            var milliseconds = (long)Math.Ceiling(options.StatementTimeoutSeconds * 1000);
            builder.Options = ((builder.Options ?? "") + " -c statement_timeout=" + milliseconds.ToString(CultureInfo.InvariantCulture)).Trim();
            if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
                builder.CommandTimeout = Math.Max(builder.CommandTimeout, (int)Math.Ceiling(options.StatementTimeoutSeconds) + 5);
        }
        if (!new[] { "Maximum Pool Size", "MaxPoolSize" }.Any(given.ContainsKey))
            builder.MaxPoolSize = options.MaxPoolSize ?? DatabaseFaultOptions.DefaultMaxPoolSize;
        return builder.ConnectionString;
    }
}
