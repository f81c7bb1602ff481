using Npgsql;

namespace IopDirectory.Search;

/// <summary>
/// Runs the nearest-first page statement (tagged by <see cref="CenterSearch"/>) with bitmap scans off for that
/// statement alone, so PostgreSQL walks the GiST index in distance order and stops after a page of matches.
/// <para>
/// Why: PostGIS estimates how many centres lie in a radius from a coarse 3-D histogram, often 10x too low in a dense
/// metro. Believing a radius holds a few dozen rows, the planner prefers a bitmap scan (the location index ANDed with an
/// insurance or service index) and a sort, which reads every centre in the radius: at 1M centres that is 150 to 300 ms
/// where the index walk takes 2 ms (see tests/IopDirectory.Benchmarks). With bitmap scans off, the remaining choices are
/// the index walk or a plain index scan of the radius box; both are bounded by the radius, so the worst case (a rare
/// filter, few matches) is no worse than the bitmap plan.
/// </para>
/// <para>
/// How, in the same round trip: the page goes as a two-statement batch, a <c>SELECT set_config(...)</c> that sets
/// <c>enable_bitmapscan</c> (and <c>plan_cache_mode</c>) for the current transaction only, then the page; the reader
/// skips the setting's one-row result. A batch is one implicit transaction (one Sync), so the setting ends with it and
/// never reaches another statement or a pooled connection's next user. (A <c>DO</c> block would return no rows, but PL/pgSQL compiles it
/// on every call: 0.08 ms of the server per page.)
/// </para>
/// </summary>
public static class NearestFirstPlan
{
    /// <summary>The page statement's first line (a comment): how to tell it in pg_stat_statements and logs.</summary>
    public const string Tag = "nearest-first";

    /// <summary>
    /// Bitmap scans off, and the statement's generic plan: once Npgsql has prepared the page on a connection, PostgreSQL
    /// plans it once there instead of on every request (the API's sessions default to custom plans, see
    /// <see cref="Data.DatabaseSetup.ApiSessions"/>). The generic plan is the same index walk: the location index in
    /// distance order, the filters checked on each row (tests/IopDirectory.Benchmarks shows it at 1M centres).
    /// </summary>
    public const string Setting = "SELECT set_config('enable_bitmapscan', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)";

    /// <summary>Runs the setting and then the page in one batch; the reader is on the page's rows.</summary>
    public static async Task<NpgsqlDataReader> ExecuteReaderAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        IEnumerable<NpgsqlParameter> parameters, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection, transaction) { Timeout = connection.CommandTimeout };
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Setting));
        var page = new NpgsqlBatchCommand(sql);
        page.Parameters.AddRange(parameters.ToArray());
        batch.BatchCommands.Add(page);
        try
        {
            var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            return reader;
        }
        catch
        {
            await batch.DisposeAsync();
            throw;
        }
    }
}
