using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace IopDirectory.Operations;

/// <summary>
/// Fault-related defaults for the API's connection string, each applied only when the connection string
/// does not set it: a short connect timeout (a database that is down answers fast instead of after
/// Npgsql's 15 s), a server-side <c>statement_timeout</c> on every session, and a client command timeout a
/// little longer than it so the server's clearer error wins.
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
        return builder.ConnectionString;
    }
}
