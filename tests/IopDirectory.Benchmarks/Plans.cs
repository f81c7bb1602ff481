using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace IopDirectory.Benchmarks;

public sealed record PlanCount(string Plan, int Points);

public sealed record Timing(string Setting, int Points, double MeanMs, double P50Ms, double P95Ms, double MaxMs, double MeanRows);

/// <summary>What the planner does with one variant's page statement at one size.</summary>
public sealed record VariantPlans(
    string Variant,
    int SampledPoints,
    double MeanMatchesInRadius,
    double MeanCentersInRadius,
    IReadOnlyList<(string Statement, IReadOnlyList<PlanCount> Choice)> PlanChoices,
    IReadOnlyList<Timing> PageTimings,
    IReadOnlyList<(string Title, string Explain)> Explains,
    IReadOnlyList<(string Name, string Explain)> LoaderExplains)
{
    public const string ApiDefault = "API page SQL, planner's choice";
    public const string ApiForced = "API page SQL, enable_bitmapscan=off, jit=off";
    public const string ApiGeneric = "API page SQL, prepared: its generic plan, enable_bitmapscan=off, jit=off (as the API runs it)";
    public const string RawDefault = "raw page SQL (KNN form), planner's choice";
    public const string RawForcedJit = "raw page SQL (KNN form), enable_bitmapscan=off (jit on)";
    public const string RawForced = "raw page SQL (KNN form), enable_bitmapscan=off, jit=off";

    public IReadOnlyList<PlanCount> Choice(string statement) => PlanChoices.Single(c => c.Statement == statement).Choice;

    /// <summary>Whether the raw statement gets the KNN index-ordered scan at every sampled point without any setting.</summary>
    public bool PlannerAlwaysKnn => Choice(RawDefault).All(p => p.Plan.StartsWith(Plans.Knn, StringComparison.Ordinal));
}

public static class Plans
{
    public const string Knn = "KNN index-ordered scan";
    /// <summary>Session settings under which the planner takes the KNN index-ordered scan and does not JIT-compile it.</summary>
    public const string ForceKnnOptions = "-c enable_bitmapscan=off -c jit=off";
    public const string ForceKnnJitOptions = "-c enable_bitmapscan=off";
    /// <summary>The forced settings with generic plans for prepared statements: the raw load's sessions.</summary>
    public const string ForceKnnGenericOptions = ForceKnnOptions + " -c plan_cache_mode=force_generic_plan";

    public static async Task<VariantPlans> AnalyseAsync(NpgsqlDataSource source, NpgsqlDataSource forcedKnnJit, NpgsqlDataSource forcedKnn, Variant variant, EfStatements ef,
        IReadOnlyList<QueryPoint> points, int samples, CancellationToken ct)
    {
        var sample = points.Take(samples).ToList();

        // Selectivity: how many centres are within the radius, and how many of them match the filter.
        var unfiltered = Workload.Variants.Single(v => v.Name == "unselective");
        double matches = 0, within = 0;
        var countPoints = sample.Take(20).ToList();
        foreach (var point in countPoints)
        {
            matches += Convert.ToDouble(await ScalarAsync(source, variant.CountSql, variant.RawParameters(point), ct));
            within += Convert.ToDouble(await ScalarAsync(source, unfiltered.CountSql, unfiltered.RawParameters(point), ct));
        }

        // Plan choice across the sampled points: each statement is planned with its own values, as the API sends them
        // (unnamed statements, custom plans).
        var statements = new (string Name, NpgsqlDataSource Source, string Sql, Func<QueryPoint, NpgsqlParameter[]> Parameters)[]
        {
            (VariantPlans.ApiDefault, source, ef.Page.Sql, ef.Page.WithOrigin),
            (VariantPlans.ApiForced, forcedKnn, ef.Page.Sql, ef.Page.WithOrigin),
            (VariantPlans.RawDefault, source, variant.RawPageSql, variant.RawParameters),
            (VariantPlans.RawForcedJit, forcedKnnJit, variant.RawPageSql, variant.RawParameters),
            (VariantPlans.RawForced, forcedKnn, variant.RawPageSql, variant.RawParameters),
        };
        var choices = new List<(string, IReadOnlyList<PlanCount>)>();
        foreach (var statement in statements)
        {
            var counts = new Dictionary<string, int>();
            foreach (var point in sample)
                Increment(counts, Classify(await ExplainAsync(statement.Source, "EXPLAIN ", statement.Sql, statement.Parameters(point), ct)));
            choices.Add((statement.Name, Sorted(counts)));
        }
        choices.Add((VariantPlans.ApiGeneric, await GenericPlanAsync(forcedKnn, ef.Page, sample, ct)));

        // Each page statement run point after point (one client), every column read.
        var timings = new List<Timing>();
        foreach (var statement in statements)
            timings.Add(await TimeAsync(statement.Name, statement.Source, statement.Sql, statement.Parameters, sample, ct));

        // Representative EXPLAIN ANALYZE: the first point, run once to warm the cache, then again.
        var first = points[0];
        const string analyse = "EXPLAIN (ANALYZE, BUFFERS) ";
        var explains = new List<(string, string)>();
        foreach (var statement in statements)
        {
            await ExplainAsync(statement.Source, analyse, statement.Sql, statement.Parameters(first), ct);
            explains.Add((statement.Name, await ExplainAsync(statement.Source, analyse, statement.Sql, statement.Parameters(first), ct)));
        }
        await ExplainAsync(forcedKnn, analyse, variant.RawSql, variant.RawParameters(first), ct);
        explains.Add(("raw single statement (page, phones, programs, tracks), enable_bitmapscan=off, jit=off",
            await ExplainAsync(forcedKnn, analyse, variant.RawSql, variant.RawParameters(first), ct)));

        // The API's statement as it sends it: the page with phones and programs (bitmap scans off, as NearestFirstPlan sets them).
        var loaders = new List<(string, string)>();
        if (ef.PageRows > 0)
            loaders.Add(("the API's page with its children", await ExplainAsync(forcedKnn, analyse, ef.Page.Sql, ef.Page.WithOrigin(first), ct)));

        return new VariantPlans(variant.Name, sample.Count, matches / countPoints.Count, within / countPoints.Count, choices, timings, explains, loaders);
    }

    /// <summary>
    /// The API's page as PostgreSQL runs it once Npgsql has prepared it on a connection: its generic plan, planned once
    /// without the values (NearestFirstPlan sets <c>plan_cache_mode=force_generic_plan</c> for it). The statement is
    /// prepared with SQL's PREPARE (its placeholders are already positional) and explained with EXPLAIN EXECUTE at each
    /// point, on one connection.
    /// </summary>
    private static async Task<IReadOnlyList<PlanCount>> GenericPlanAsync(NpgsqlDataSource source, CapturedCommand page, List<QueryPoint> points, CancellationToken ct)
    {
        var types = string.Join(", ", page.Parameters.Select(p => p.DataTypeName
            ?? throw new InvalidOperationException($"The page's parameter {p.ParameterName} has no database type name.")));
        await using var connection = await source.OpenConnectionAsync(ct);
        await using (var prepare = new NpgsqlCommand($"SET plan_cache_mode = force_generic_plan; PREPARE bench_api_page({types}) AS {page.Sql}", connection))
            await prepare.ExecuteNonQueryAsync(ct);
        var counts = new Dictionary<string, int>();
        try
        {
            foreach (var point in points)
            {
                // EXECUTE under EXPLAIN takes no bound parameters: the values go in as literals.
                var arguments = string.Join(", ", page.WithOrigin(point).Select(Literal));
                await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE bench_api_page({arguments})", connection);
                var plan = new StringBuilder();
                await using (var reader = await explain.ExecuteReaderAsync(ct))
                    while (await reader.ReadAsync(ct)) plan.AppendLine(reader.GetString(0));
                Increment(counts, Classify(plan.ToString()));
            }
        }
        finally
        {
            await using var cleanup = new NpgsqlCommand("DEALLOCATE bench_api_page; RESET plan_cache_mode", connection);
            await cleanup.ExecuteNonQueryAsync(CancellationToken.None);
        }
        return Sorted(counts);
    }

    private static string Literal(NpgsqlParameter parameter)
    {
        static string Text(string value) => "'" + value.Replace("'", "''") + "'";
        var literal = parameter.Value switch
        {
            null or DBNull => "NULL",
            NetTopologySuite.Geometries.Point p => Text(FormattableString.Invariant($"SRID=4326;POINT({p.X:R} {p.Y:R})")),
            string s => Text(s),
            IEnumerable<string> list => "ARRAY[" + string.Join(", ", list.Select(Text)) + "]",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"No literal for {other.GetType().Name} ({parameter.ParameterName})."),
        };
        return $"{literal}::{parameter.DataTypeName}";
    }

    public static string Classify(string plan) => ClassifyScan(plan) + (plan.Contains("JIT:", StringComparison.Ordinal) ? " + JIT" : "");

    private static string ClassifyScan(string plan)
    {
        var knn = Regex.IsMatch(plan, @"Index (Only )?Scan using ix_centers_location on centers") && plan.Contains("Order By: (location <->", StringComparison.Ordinal);
        if (knn) return Knn + " (ix_centers_location, Order By <->)";
        if (plan.Contains("Bitmap Heap Scan on centers", StringComparison.Ordinal))
        {
            var indexes = Regex.Matches(plan, @"Bitmap Index Scan on (\w+)").Select(m => m.Groups[1].Value).Distinct();
            var sort = plan.Contains("top-N heapsort", StringComparison.Ordinal) ? "top-N heapsort" : "Sort";
            return $"Bitmap heap scan ({string.Join(" + ", indexes)}) + {sort}";
        }
        var index = Regex.Match(plan, @"Index (Only )?Scan using (\w+) on centers");
        if (index.Success) return $"Index scan on {index.Groups[2].Value} + Sort";
        if (plan.Contains("Seq Scan on centers", StringComparison.Ordinal)) return "Seq scan + Sort";
        return plan.Split('\n')[0].Trim();
    }

    private static async Task<Timing> TimeAsync(string setting, NpgsqlDataSource source, string sql, Func<QueryPoint, NpgsqlParameter[]> parameters,
        List<QueryPoint> points, CancellationToken ct)
    {
        var times = new List<double>();
        double rows = 0;
        foreach (var point in points)
        {
            var clock = Stopwatch.StartNew();
            await using var cmd = source.CreateCommand(sql);
            cmd.Parameters.AddRange(parameters(point));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < reader.FieldCount; i++) reader.GetValue(i);
                rows++;
            }
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        var stats = LatencyStats.From(times);
        return new Timing(setting, points.Count, stats.Mean, stats.P50, stats.P95, stats.Max, rows / points.Count);
    }

    private static async Task<string> ExplainAsync(NpgsqlDataSource source, string prefix, string sql, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var command = source.CreateCommand(prefix + sql);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var text = new StringBuilder();
        while (await reader.ReadAsync(ct)) text.AppendLine(reader.GetString(0));
        return text.ToString().TrimEnd();
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource source, string sql, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var command = source.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteScalarAsync(ct);
    }

    private static void Increment(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static List<PlanCount> Sorted(Dictionary<string, int> counts) =>
        [.. counts.OrderByDescending(c => c.Value).Select(c => new PlanCount(c.Key, c.Value))];
}
