using System.Diagnostics;
using System.Globalization;
using IopDirectory.Data;
using IopDirectory.Seeding;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IopDirectory.Benchmarks;

/// <summary>One database of synthetic centres, loaded once and reused while its marker says it is complete.</summary>
public sealed record DataSet(
    int Size,
    int Seed,
    string Database,
    string ConnectionString,
    bool Reused,
    DateTimeOffset LoadedAt,
    double MigrateSeconds,
    double LoadSeconds,
    double AnalyzeSeconds,
    IReadOnlyDictionary<string, long> RowCounts,
    string DatabaseSize,
    string CentersSize)
{
    private const string MarkerPrefix = "iop-bench loaded";

    public static async Task<DataSet> EnsureAsync(Cluster cluster, int size, int seed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var ct = bounded.Token;

        var database = $"iop_bench_{size}_s{seed}";
        await cluster.Postgres.CreateDatabaseAsync(database);
        var cs = new NpgsqlConnectionStringBuilder(cluster.ConnectionString(database)) { CommandTimeout = 0 }.ConnectionString;

        var clock = Stopwatch.StartNew();
        var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<DirectoryDbContext>(), cs).Options;
        await using (var db = new DirectoryDbContext(options))
            await db.Database.MigrateAsync(ct);
        var migrateSeconds = clock.Elapsed.TotalSeconds;

        await using var dataSource = NpgsqlDataSource.Create(cs);
        var marker = Marker.Parse((string?)await ScalarAsync(dataSource, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()", ct));
        var synthetic = (long)(await ScalarAsync(dataSource, "SELECT count(*) FROM centers WHERE source = 'synthetic'", ct))!;

        bool reused;
        double loadSeconds, analyzeSeconds;
        DateTimeOffset loadedAt;
        if (marker is not null && marker.Size == size && marker.Seed == seed && synthetic == size)
        {
            reused = true;
            (loadSeconds, analyzeSeconds, loadedAt) = (marker.LoadSeconds, marker.AnalyzeSeconds, marker.LoadedAt);
            Console.Error.WriteLine($"data: {database} already holds {size:N0} synthetic centres (loaded {loadedAt:u} in {loadSeconds:0.0}s); reusing it.");
        }
        else
        {
            if (synthetic != 0)
                throw new InvalidOperationException(
                    $"{database} holds {synthetic:N0} synthetic centres but no complete-load marker for {size:N0}; delete the folder {cluster.Folder} (or run with --clean) and retry.");
            Console.Error.WriteLine($"data: loading {size:N0} synthetic centres into {database} (seed {seed})...");
            clock.Restart();
            await Seeder.SeedSyntheticAsync(cs, size, seed, ct);
            loadSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            await ExecuteAsync(dataSource, "ANALYZE", ct);
            analyzeSeconds = clock.Elapsed.TotalSeconds;
            loadedAt = DateTimeOffset.UtcNow;
            reused = false;
            var text = new Marker(size, seed, loadSeconds, analyzeSeconds, loadedAt).ToString();
            await ExecuteAsync(dataSource, $"COMMENT ON DATABASE \"{database}\" IS '{text}'", ct);
            Console.Error.WriteLine($"data: loaded in {loadSeconds:0.0}s, ANALYZE {analyzeSeconds:0.0}s.");
        }

        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "centers", "phones", "programs", "tracks", "track_sessions", "insurance_plans", "call_routes" })
            counts[table] = (long)(await ScalarAsync(dataSource, $"SELECT count(*) FROM {table}", ct))!;
        var dbSize = (string)(await ScalarAsync(dataSource, "SELECT pg_size_pretty(pg_database_size(current_database()))", ct))!;
        var centersSize = (string)(await ScalarAsync(dataSource,
            "SELECT pg_size_pretty(pg_table_size('centers')) || ' table, ' || pg_size_pretty(pg_indexes_size('centers')) || ' indexes'", ct))!;
        await ExecuteAsync(dataSource, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements", ct);

        return new DataSet(size, seed, database, cluster.ConnectionString(database), reused, loadedAt, migrateSeconds, loadSeconds, analyzeSeconds,
            counts, dbSize, centersSize);
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The database comment written after a complete load and ANALYZE.</summary>
    private sealed record Marker(int Size, int Seed, double LoadSeconds, double AnalyzeSeconds, DateTimeOffset LoadedAt)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{MarkerPrefix} size={Size} seed={Seed} load_seconds={LoadSeconds:0.0} analyze_seconds={AnalyzeSeconds:0.0} at={LoadedAt:O}");

        public static Marker? Parse(string? text)
        {
            if (text is null || !text.StartsWith(MarkerPrefix, StringComparison.Ordinal)) return null;
            var fields = text[MarkerPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
            try
            {
                return new Marker(int.Parse(fields["size"], CultureInfo.InvariantCulture), int.Parse(fields["seed"], CultureInfo.InvariantCulture),
                    double.Parse(fields["load_seconds"], CultureInfo.InvariantCulture), double.Parse(fields["analyze_seconds"], CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse(fields["at"], CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is KeyNotFoundException or FormatException)
            {
                return null;
            }
        }
    }
}
