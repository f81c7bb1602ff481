using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using IopDirectory.Benchmarks;
using Npgsql;

// The load generator's socket continuations run on the socket event thread, as wrk's do: a response wakes one thread, not
// the event thread and then a pool thread. Read once, when the first socket is used, so it is set before any is.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

Options options;
try
{
    options = Options.Parse(args);
}
catch (HelpRequested)
{
    Console.WriteLine(Options.Usage);
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

// Ctrl+C and SIGTERM stop the runs; the finally blocks below stop the API and the cluster.
using var cts = new CancellationTokenSource();
var ct = cts.Token;
Console.CancelKeyPress += (_, e) =>
{
    if (cts.IsCancellationRequested) return; // a second Ctrl+C ends the process (the exit handler still cleans up)
    e.Cancel = true;
    Console.Error.WriteLine("Stopping: cleaning up the API process and the cluster...");
    cts.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cts.Cancel();
});

ApiProcess? api = null;
Cluster? cluster = null;
var cleanedUp = false;
AppDomain.CurrentDomain.ProcessExit += (_, _) =>
{
    api?.Kill();
    if (cluster is not null && !cleanedUp) cluster.StopAsync(immediate: true).GetAwaiter().GetResult();
};

ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, options.Clients.Max() * 2 + 8), io);

Directory.CreateDirectory(options.DataDirectory);
var builtApi = ApiProcess.FindDll(options.ApiDll);
var apiDll = ApiProcess.Snapshot(builtApi, Path.Combine(options.DataDirectory, "api"));
Console.Error.WriteLine($"bench: API {builtApi} (run from a copy in {Path.GetDirectoryName(apiDll)}); cluster in {options.DataDirectory}; sizes {string.Join(", ", options.Sizes)}; "
    + $"{options.Seconds} s measured + {options.WarmupSeconds} s warm-up per run, clients {string.Join(", ", options.Clients)}.");
var exitCode = 0;
try
{
    cluster = await Cluster.StartAsync(options.DataDirectory, options.HugePages, ct);
    Console.Error.WriteLine($"bench: cluster on 127.0.0.1:{cluster.Postgres.Port} (pg_stat_statements: {(cluster.HasStatementStats ? "on" : "off")}).");
    Directory.CreateDirectory(options.ResultsDirectory);
    foreach (var size in options.Sizes)
    {
        var report = await RunSizeAsync(cluster, size);
        var markdown = report.ToMarkdown();
        // A report recorded earlier the same day stays: the new one gets the next free suffix (-2, -3...).
        var file = FreePath(Path.Combine(options.ResultsDirectory, $"{report.Started:yyyy-MM-dd}-{size}"), ".md");
        await File.WriteAllTextAsync(file, markdown, CancellationToken.None);
        Console.WriteLine(markdown);
        Console.Error.WriteLine($"bench: wrote {file}");
    }
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: cancelled.");
    exitCode = 130;
}
finally
{
    if (api is not null) await api.DisposeAsync();
    if (cluster is not null)
    {
        await cluster.StopAsync();
        if (options.Clean)
        {
            Directory.Delete(options.DataDirectory, recursive: true);
            Console.Error.WriteLine($"bench: deleted {options.DataDirectory}.");
        }
        else
        {
            Console.Error.WriteLine($"bench: cluster stopped; its data stays in {options.DataDirectory} for the next run (--clean deletes it).");
        }
    }
    cleanedUp = true;
}
return exitCode;

async Task<SizeReport> RunSizeAsync(Cluster cluster, int size)
{
    var started = DateTimeOffset.UtcNow;
    var clock = Stopwatch.StartNew();

    // 1. Data: created, migrated and loaded once; reused while its marker says it is complete.
    var stderr = Console.Error;
    var loadLog = new StringWriter();
    Console.SetError(new TeeWriter(stderr, loadLog));
    DataSet data;
    try
    {
        data = await DataSet.EnsureAsync(cluster, size, options.Seed, TimeSpan.FromMinutes(options.LoadTimeoutMinutes), ct);
    }
    finally
    {
        Console.SetError(stderr);
    }

    // The raw modes get the API's own bound on concurrent connections (Operations/ConnectionDefaults): the best raw form
    // does not crowd a 2-core server with 32 concurrent queries either.
    var poolSize = options.PoolSize ?? IopDirectory.Operations.DatabaseFaultOptions.DefaultMaxPoolSize;
    await using var source = DataSource(data.ConnectionString, null, poolSize);
    await using var forcedKnn = DataSource(data.ConnectionString, Plans.ForceKnnOptions, poolSize);
    await using var forcedKnnJit = DataSource(data.ConnectionString, Plans.ForceKnnJitOptions, 4);
    // The raw load at its best: the forced KNN settings, the statement prepared on each connection and run with its generic
    // plan (planned once per connection), no reset on return to the pool. The API's page gets the same (NearestFirstPlan).
    await using var rawBest = DataSource(data.ConnectionString, Plans.ForceKnnGenericOptions, poolSize, prepared: true);
    // The API's own session settings (Data/DatabaseSetup.ApiSessions), for its captured SQL sent through Npgsql.
    await using var apiSessions = DataSource(IopDirectory.Data.DatabaseSetup.ApiSessions(data.ConnectionString), null, poolSize);
    var machine = await Machine.DescribeAsync(source, ct);

    // 2. Query points, the API's SQL (captured from its own code) and the plans.
    var points = await Workload.PointsAsync(source, options.Points, options.Seed, ct);
    var variants = Workload.Variants.Where(v => options.Variants.Contains(v.Name)).ToList();
    var ef = new Dictionary<string, EfStatements>();
    var plans = new List<VariantPlans>();
    foreach (var variant in variants)
    {
        ef[variant.Name] = await EfStatements.CaptureAsync(data.ConnectionString, variant, points[0], ct);
        Console.Error.WriteLine($"bench: {size:N0} {variant.Name}: analysing plans...");
        plans.Add(await Plans.AnalyseAsync(source, forcedKnnJit, forcedKnn, variant, ef[variant.Name], points, Math.Min(100, points.Count), ct));
        Console.Error.WriteLine($"bench: {size:N0} {variant.Name}: planner picks {string.Join(", ", plans[^1].Choice(VariantPlans.ApiDefault).Select(p => $"{p.Plan} ×{p.Points}"))}.");
    }

    // The database's files in the OS page cache (it fits in memory), so the first run does not pay for disk reads the later ones skip.
    var cached = OsCache.Warm(cluster, await DatabaseOidAsync(source));
    Console.Error.WriteLine($"bench: read {cached / 1e9:0.0} GB of the database's files into the OS page cache.");

    // 3. The API process on this database.
    Console.Error.WriteLine("bench: starting the API...");
    api = await ApiProcess.StartAsync(apiDll, data.ConnectionString, poolSize, ct);
    var runs = new List<RunResult>();
    var verifications = new List<Verification>();
    LeanHttpCheck? leanCheck = null;
    try
    {
        // The first requests pay for JIT and EF model building: generous timeout for the check, which also warms the API up.
        using (var check = new ApiClient(api.Endpoint, 1, TimeSpan.FromMinutes(3)))
            foreach (var variant in variants)
                verifications.Add(await VerifyAsync(check, source, variant, points.Take(20).ToList()));
        if (options.Http == HttpClients.Lean)
        {
            // The lean client's framing against HttpClient's, on the bodies the runs send.
            var sample = variants.SelectMany(v => points.Take(10).Select(p => v.RequestBody(p))).ToList();
            var (same, difference) = await LeanHttpClient.SameBodiesAsync(api.Endpoint, sample, ct);
            leanCheck = new LeanHttpCheck(sample.Count, same, difference);
            Console.Error.WriteLine($"bench: lean HTTP client and HttpClient read the same bytes for {same}/{sample.Count} responses{(difference is null ? "" : $"; first difference: {difference}")}.");
        }

        if (options.ApiWarmupSeconds > 0 && options.Modes.Any(m => m is LoadModes.Api or LoadModes.ApiPage or LoadModes.Match))
        {
            // Tiered compilation: a fresh API runs unoptimised code for its first thousands of requests. Load every
            // operation the runs send until the JIT has settled, so the first run is not measured against a cold process.
            var warm = variants.SelectMany(v => points.Select(p => v.RequestBody(p))).ToArray();
            var match = points.Select(Variant.MatchBody).ToArray();
            using var search = new ApiClient(api.Endpoint, 8);
            using var hotline = new ApiClient(api.Endpoint, 8, bearerToken: ApiProcess.HotlineToken());
            var warmed = await LoadRunner.RunAsync(8, TimeSpan.Zero, TimeSpan.FromSeconds(options.ApiWarmupSeconds), long.MaxValue,
                (client, n, token) => client % 2 == 0 || !options.Modes.Contains(LoadModes.Match)
                    ? search.SearchAsync(warm[(int)(n % warm.Length)], token)
                    : hotline.MatchAsync(match[(int)(n % match.Length)], token), ct);
            Console.Error.WriteLine($"bench: API warmed up with {warmed.Requests:N0} requests in {options.ApiWarmupSeconds:0} s ({warmed.Errors} errors).");
        }

        var modes = options.Modes;
        var total = variants.Count * options.Clients.Count * modes.Count * options.Rounds;
        Console.Error.WriteLine($"bench: up to {total} runs of {options.WarmupSeconds + options.Seconds:0} s (about {total * (options.WarmupSeconds + options.Seconds + 1) / 60:0} min).");
        foreach (var variant in variants)
        {
            var variantPlans = plans.Single(p => p.Variant == variant.Name);
            var bodies = points.Select(p => variant.RequestBody(p)).ToArray();
            var pageBodies = points.Select(p => variant.RequestBody(p, Variant.PageSelection)).ToArray();
            var matchBodies = points.Select(Variant.MatchBody).ToArray();
            foreach (var clients in options.Clients)
                for (var round = 1; round <= options.Rounds; round++)
                    foreach (var mode in modes.Where(m => m != LoadModes.Match || variant.Name == "canonical"))
                    {
                        var run = await RunAsync(variant, mode, clients, mode switch { LoadModes.ApiPage => pageBodies, LoadModes.Match => matchBodies, _ => bodies }, points, source, rawBest, apiSessions, ef[variant.Name], cluster);
                        runs.Add(run with { Round = round });
                    }
        }
    }
    finally
    {
        await api.DisposeAsync();
        api = null;
    }
    return new SizeReport(options, machine, data, FilterLoadLog(loadLog.ToString()), plans, ef, verifications, leanCheck, runs, started, clock.Elapsed);
}

async Task<RunResult> RunAsync(Variant variant, string mode, int clients, byte[][] bodies, List<QueryPoint> points,
    NpgsqlDataSource source, NpgsqlDataSource rawBest, NpgsqlDataSource apiSessions, EfStatements ef, Cluster cluster)
{
    var overHttp = mode is LoadModes.Api or LoadModes.ApiPage or LoadModes.Match;
    var bearer = mode == LoadModes.Match ? ApiProcess.HotlineToken() : null;
    using var lean = overHttp && options.Http == HttpClients.Lean ? new LeanHttpClient(api!.Endpoint, clients, bearer) : null;
    using var http = overHttp && lean is null ? new ApiClient(api!.Endpoint, clients, bearerToken: bearer) : null;
    // Each client walks its own slice of the points, so concurrent clients ask different questions.
    Func<int, long, CancellationToken, Task<int>> operation = mode switch
    {
        LoadModes.Api or LoadModes.ApiPage when lean is not null => (client, n, token) => lean.SearchAsync(client, bodies[(int)(n % bodies.Length)], token),
        LoadModes.Api or LoadModes.ApiPage => (client, n, token) => http!.SearchAsync(bodies[(int)(n % bodies.Length)], token),
        LoadModes.Raw => (client, n, token) => RawRequests.BestAsync(rawBest, variant, points[(int)(n % points.Count)], token),
        LoadModes.RawPlanner => (client, n, token) => RawRequests.BestAsync(source, variant, points[(int)(n % points.Count)], token),
        LoadModes.RawEfSql => (client, n, token) => RawRequests.EfSqlAsync(apiSessions, ef, points[(int)(n % points.Count)], token),
        LoadModes.Match when lean is not null => (client, n, token) => lean.MatchAsync(client, bodies[(int)(n % bodies.Length)], token),
        LoadModes.Match => (client, n, token) => http!.MatchAsync(bodies[(int)(n % bodies.Length)], token),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    var quietWait = await WaitForQuietAsync(cluster);
    if (cluster.HasStatementStats) await StatementStats.ResetAsync(source, ct);
    var before = CpuSnapshot.Take(api, cluster);

    var measurement = await LoadRunner.RunAsync(clients, TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.Seconds),
        options.MaxRequestsPerRun, operation, ct);
    if (options.TraceDirectory is not null) await WriteTraceAsync(variant, mode, clients, measurement, points.Count);

    var cores = CpuSnapshot.Take(api, cluster).CoresSince(before);
    double? perRequest = null, discardsPerRequest = null;
    IReadOnlyList<StatementStats.Top> top = [];
    if (cluster.HasStatementStats && measurement.TotalRequests > 0)
    {
        var (calls, discards, list) = await StatementStats.ReadAsync(source, ct);
        perRequest = (calls - discards) / (double)measurement.TotalRequests;
        discardsPerRequest = discards / (double)measurement.TotalRequests;
        top = list;
    }
    Console.Error.WriteLine($"bench: {variant.Name,-11} {mode,-10} {clients,3} clients: {measurement.Throughput,7:0.0} req/s, p50 {measurement.Latency.P50:0.0} ms, "
        + $"p95 {measurement.Latency.P95:0.0}, p99 {measurement.Latency.P99:0.0}, errors {measurement.Errors}, rows/req {measurement.RowsPerRequest:0.0}, "
        + $"stmts/req {perRequest:0.00} + DISCARD ALL {discardsPerRequest:0.00}, stalls > {RunMeasurement.StallMs:0} ms {measurement.Stalls.Count} (longest {measurement.Stalls.LongestMs:0}), cores api {cores.Api:0.00} pg {cores.Postgres:0.00} bench {cores.Bench:0.00} other {cores.Other:0.00}"
        + (measurement.FirstError is null ? "" : $"; first error: {measurement.FirstError}"));
    return new RunResult(variant.Name, mode, clients, measurement, perRequest, discardsPerRequest, top, cores.Api, cores.Postgres, cores.Bench, cores.Other, quietWait);
}

// One CSV per run; a file of the same name is never overwritten (rounds repeat the same variant, mode and clients).
async Task WriteTraceAsync(Variant variant, string mode, int clients, RunMeasurement measurement, int pointCount)
{
    Directory.CreateDirectory(options.TraceDirectory!);
    var path = FreePath(Path.Combine(options.TraceDirectory!, $"{variant.Name}-{mode}-{clients}"), ".csv");
    var csv = new StringBuilder("client,sequence,point,start_ms,end_ms,ok\n");
    foreach (var t in measurement.Timings)
        csv.Append(CultureInfo.InvariantCulture, $"{t.Client},{t.Sequence},{t.Sequence % pointCount},{t.StartMs:0.###},{t.EndMs:0.###},{(t.Ok ? 1 : 0)}\n");
    await File.WriteAllTextAsync(path, csv.ToString(), ct);
}

async Task<uint> DatabaseOidAsync(NpgsqlDataSource source)
{
    await using var command = source.CreateCommand("SELECT oid FROM pg_database WHERE datname = current_database()");
    return (uint)(await command.ExecuteScalarAsync(ct))!;
}

// Other work on the machine (builds, tests; the API's own background JIT) skews a run on two cores: wait a bounded time for it to settle.
async Task<double> WaitForQuietAsync(Cluster cluster)
{
    var waited = Stopwatch.StartNew();
    while (true)
    {
        var before = CpuSnapshot.Take(api, cluster);
        await Task.Delay(2000, ct);
        // The API counts as noise here too: after a run it keeps compiling hot methods (tiered JIT) for several seconds.
        var cores = CpuSnapshot.Take(api, cluster).CoresSince(before);
        var other = cores.Other + cores.Api;
        if (double.IsNaN(other) || other <= options.QuietCores || waited.Elapsed.TotalSeconds >= options.WaitQuietSeconds)
        {
            if (waited.Elapsed.TotalSeconds > 3)
                Console.Error.WriteLine($"bench: waited {waited.Elapsed.TotalSeconds:0} s for other work to settle (now {other:0.00} cores).");
            return waited.Elapsed.TotalSeconds;
        }
    }
}

async Task<Verification> VerifyAsync(ApiClient client, NpgsqlDataSource source, Variant variant, List<QueryPoint> sample)
{
    var identical = 0;
    string? difference = null;
    foreach (var point in sample)
    {
        List<(string Name, double Meters)> apiPage, rawPage;
        try
        {
            apiPage = RawRequests.ApiPage(await client.PostAsync(variant.RequestBody(point), ct));
            rawPage = await RawRequests.PageAsync(source, variant, point, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            difference ??= $"at ({point.Latitude:0.####}, {point.Longitude:0.####}): {e.GetType().Name}: {e.Message}";
            continue;
        }
        var same = apiPage.Count == rawPage.Count
            && apiPage.Zip(rawPage).All(x => x.First.Name == x.Second.Name && Math.Abs(x.First.Meters - x.Second.Meters) <= 1e-6 * Math.Max(1, x.Second.Meters));
        if (same) identical++;
        else difference ??= $"at ({point.Latitude:0.####}, {point.Longitude:0.####}) the API returned {apiPage.Count} rows, raw {rawPage.Count}";
    }
    Console.Error.WriteLine($"bench: {variant.Name}: API and raw pages identical at {identical}/{sample.Count} points.");
    return new Verification(variant.Name, sample.Count, identical, difference);
}

// stem + extension, or stem-2, stem-3... + extension: the first name no file has yet.
static string FreePath(string stem, string extension)
{
    var path = stem + extension;
    for (var n = 2; File.Exists(path); n++) path = $"{stem}-{n}{extension}";
    return path;
}

// prepared: statements sent five times on a connection are prepared there, and a connection keeps its session (and its
// prepared statements) when it goes back to the pool.
static NpgsqlDataSource DataSource(string connectionString, string? pgOptions, int poolSize, bool prepared = false)
{
    var builder = new NpgsqlDataSourceBuilder(connectionString);
    builder.ConnectionStringBuilder.MaxPoolSize = poolSize;
    builder.ConnectionStringBuilder.CommandTimeout = 60;
    if (pgOptions is not null) builder.ConnectionStringBuilder.Options = pgOptions;
    if (prepared)
    {
        builder.ConnectionStringBuilder.MaxAutoPrepare = IopDirectory.Data.DatabaseSetup.MaxAutoPrepare;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
    }
    builder.UseNetTopologySuite();
    return builder.Build();
}

static string FilterLoadLog(string log) =>
    string.Join("\n", log.Split('\n').Where(l => l.StartsWith("synthetic:", StringComparison.Ordinal) || l.StartsWith("data:", StringComparison.Ordinal))
        .Where(l => !l.Contains("/s)", StringComparison.Ordinal) || l.Contains("loaded and analysed", StringComparison.Ordinal)));
