using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
/// How, in the same round trip: the command becomes a two-statement batch, a <c>SELECT set_config(...)</c> that sets
/// <c>enable_bitmapscan</c> (and <c>plan_cache_mode</c>) for the current transaction only, then the page; the reader
/// skips the setting's one-row result. A batch is one implicit transaction (one Sync), so the setting ends with it and
/// never reaches another statement or a pooled connection's next user. (A <c>DO</c> block would return no rows, but PL/pgSQL compiles it
/// on every call: 0.08 ms of the server per page.)
/// </para>
/// </summary>
public sealed class NearestFirstPlan : DbCommandInterceptor
{
    public const string Tag = "nearest-first";

    /// <summary>
    /// Bitmap scans off, and the statement's generic plan: once Npgsql has prepared the page on a connection, PostgreSQL
    /// plans it once there instead of on every request (the API's sessions default to custom plans, see
    /// <see cref="Data.DatabaseSetup.ApiSessions"/>). The generic plan is the same index walk: the location index in
    /// distance order, the filters checked on each row (tests/IopDirectory.Benchmarks shows it at 1M centres).
    /// </summary>
    public const string Setting = "SELECT set_config('enable_bitmapscan', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)";

    public static readonly NearestFirstPlan Instance = new();

    public static bool Applies(DbCommand command) => command.CommandText.StartsWith("-- " + Tag, StringComparison.Ordinal);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result)
    {
        if (!Applies(command) || command is not NpgsqlCommand npgsql) return result;
        var reader = Batch(npgsql).ExecuteReader();
        reader.NextResult();
        return InterceptionResult<DbDataReader>.SuppressWithResult(reader);
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        Applies(command) && command is NpgsqlCommand npgsql
            ? InterceptionResult<DbDataReader>.SuppressWithResult(await ExecuteReaderAsync(npgsql, cancellationToken))
            : result;

    /// <summary>Runs the command as <see cref="Batch"/> does and returns the reader on the command's own rows.</summary>
    public static async Task<NpgsqlDataReader> ExecuteReaderAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reader = await Batch(command).ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return reader;
    }

    /// <summary>The setting and then the command, on the command's connection and transaction.</summary>
    public static NpgsqlBatch Batch(NpgsqlCommand command)
    {
        var batch = new NpgsqlBatch(command.Connection, command.Transaction) { Timeout = command.CommandTimeout };
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Setting));
        var page = new NpgsqlBatchCommand(command.CommandText);
        foreach (NpgsqlParameter parameter in command.Parameters)
            page.Parameters.Add(parameter.Clone());
        batch.BatchCommands.Add(page);
        return batch;
    }
}
