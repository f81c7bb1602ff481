using System.Globalization;

namespace IopDirectory.Benchmarks;

/// <summary>Command-line options; every run is bounded in time and in request count.</summary>
public sealed class Options
{
    public List<int> Sizes { get; private set; } = [100_000];
    public List<int> Clients { get; private set; } = [8, 32];
    public int Rounds { get; private set; } = 1;
    public double Seconds { get; private set; } = 20;
    public double WarmupSeconds { get; private set; } = 5;
    public double ApiWarmupSeconds { get; private set; } = 30;
    public long MaxRequestsPerRun { get; private set; } = 2_000_000;
    public List<string> Variants { get; private set; } = [.. Workload.VariantNames];
    public List<string> Modes { get; private set; } = [.. LoadModes.All];
    public int Points { get; private set; } = 500;
    public int Seed { get; private set; } = 42;
    public string DataDirectory { get; private set; } = Path.Combine(Path.GetTempPath(), "iop-bench");
    public bool Clean { get; private set; }
    public double LoadTimeoutMinutes { get; private set; } = 60;
    public string? ApiDll { get; private set; }
    public double WaitQuietSeconds { get; private set; } = 60;
    public double QuietCores { get; private set; } = 0.3;
    /// <summary>Connections to PostgreSQL, for the API (<c>Database__MaxPoolSize</c>) and the raw modes alike; null: the API's default.</summary>
    public int? PoolSize { get; private set; }
    /// <summary>Run the cluster's buffer pool on Linux huge pages, reserved for the run (root only; see <see cref="Benchmarks.HugePages"/>).</summary>
    public bool HugePages { get; private set; }
    public string ResultsDirectory { get; private set; } = DefaultResultsDirectory();
    /// <summary>Where each run's per-request timings go as CSV (client, sequence, point, start, end); null: not written.</summary>
    public string? TraceDirectory { get; private set; }
    /// <summary>The API modes' HTTP client: <see cref="HttpClients.Lean"/> (default) or <see cref="HttpClients.HttpClient"/>.</summary>
    public string Http { get; private set; } = HttpClients.Lean;

    public const string Usage = """
        IopDirectory.Benchmarks: the canonical location search through the API (HTTP + GraphQL) against raw SQL (Npgsql).

          dotnet run -c Release --project tests/IopDirectory.Benchmarks -- [options]

          --sizes 100000,1000000   synthetic centres per database (default 100000)
          --seconds 20             measured seconds per run (default 20)
          --warmup 5               warm-up seconds per run, not measured (default 5)
          --api-warmup 30          seconds of load on a freshly started API before any run (the .NET JIT recompiles
                                   hot code with profile data over the first thousands of requests; default 30)
          --clients 8,32           concurrent clients (default 8,32)
          --rounds 1               run the modes this many times over, interleaved (api, raw, api, raw...), so drift in
                                   the machine or the caches touches every mode alike; the summary takes medians
          --variants canonical,selective,unselective
          --modes api,api-page,raw,raw-planner,raw-ef-sql
          --points 500             query points per size (random centres, jittered ~5 km; fixed seed)
          --seed 42                seed for the synthetic data and the query points
          --max-requests 2000000   cap on requests per run
          --data-dir DIR           cluster folder, kept between runs so loaded databases are reused
                                   (default $TMPDIR/iop-bench)
          --clean                  delete the cluster folder at the end
          --load-timeout 60        minutes allowed for loading one size
          --wait-quiet 60          before each run, wait up to this many seconds for other work on the machine to
                                   use less than --quiet-cores (default 0.3) cores
          --pool N                 connections to PostgreSQL for the API (Database__MaxPoolSize) and the raw modes alike
                                   (default: the API's own default, cores + 1)
          --huge-pages             reserve Linux huge pages for the cluster's shared memory for the run (PostgreSQL's
                                   huge_pages = try takes them; root only; vm.nr_hugepages is restored at the end)
          --api-dll PATH           the built IopDirectory.Api.dll (default: src/IopDirectory.Api/bin/<config>/net10.0)
          --results DIR            where the markdown goes (default tests/IopDirectory.Benchmarks/results)
          --http lean              the API modes' HTTP client: lean (one kept-alive socket per client, ~0.08 ms of CPU a
                                   search, near wrk's 0.07) or httpclient (.NET's HttpClient, ~0.35 ms); both share the cores
          --trace DIR              write every measured request of every run to DIR as CSV (client, sequence, query
                                   point, start and end in ms): which requests make the tail, and whether they bunch in time
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--sizes": o.Sizes = Ints(Next()); break;
                case "--clients": o.Clients = Ints(Next()); break;
                case "--rounds": o.Rounds = Ints(Next())[0]; break;
                case "--seconds": o.Seconds = Positive(Next(), "--seconds"); break;
                case "--warmup": o.WarmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--api-warmup": o.ApiWarmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--max-requests": o.MaxRequestsPerRun = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--variants": o.Variants = Names(Next(), Workload.VariantNames, "--variants"); break;
                case "--modes": o.Modes = Names(Next(), LoadModes.All, "--modes"); break;
                case "--points": o.Points = Ints(Next())[0]; break;
                case "--seed": o.Seed = Ints(Next())[0]; break;
                case "--data-dir": o.DataDirectory = Path.GetFullPath(Next()); break;
                case "--clean": o.Clean = true; break;
                case "--load-timeout": o.LoadTimeoutMinutes = Positive(Next(), "--load-timeout"); break;
                case "--wait-quiet": o.WaitQuietSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--quiet-cores": o.QuietCores = Positive(Next(), "--quiet-cores"); break;
                case "--pool": o.PoolSize = Ints(Next())[0]; break;
                case "--huge-pages": o.HugePages = true; break;
                case "--api-dll": o.ApiDll = Path.GetFullPath(Next()); break;
                case "--results": o.ResultsDirectory = Path.GetFullPath(Next()); break;
                case "--trace": o.TraceDirectory = Path.GetFullPath(Next()); break;
                case "--http":
                    o.Http = Next();
                    if (!HttpClients.All.Contains(o.Http)) throw new ArgumentException($"--http: {o.Http} is none of {string.Join(", ", HttpClients.All)}.");
                    break;
                case "-h" or "--help": throw new HelpRequested();
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        if (o.Seconds > 600 || o.WarmupSeconds is < 0 or > 120)
            throw new ArgumentException("--seconds is at most 600 and --warmup 0 to 120.");
        if (o.HugePages && Environment.UserName != "root")
            throw new ArgumentException("--huge-pages needs root: it writes /proc/sys/vm/nr_hugepages.");
        if (o.PoolSize is < 1 or > 256)
            throw new ArgumentException("--pool must be between 1 and 256.");
        if (o.Clients.Any(c => c is < 1 or > 256))
            throw new ArgumentException("--clients must be between 1 and 256.");
        if (o.Sizes.Any(s => s is < 100 or > 5_000_000))
            throw new ArgumentException("--sizes must be between 100 and 5,000,000.");
        if (o.Rounds is < 1 or > 20)
            throw new ArgumentException("--rounds must be between 1 and 20.");
        if (o.Points is < 1 or > 100_000)
            throw new ArgumentException("--points must be between 1 and 100,000.");
        return o;
    }

    private static List<int> Ints(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.Parse(v.Replace("_", ""), NumberStyles.AllowThousands, CultureInfo.InvariantCulture))];

    private static double Positive(string value, string name)
    {
        var d = double.Parse(value, CultureInfo.InvariantCulture);
        return d > 0 ? d : throw new ArgumentException($"{name} must be above 0.");
    }

    private static List<string> Names(string value, IEnumerable<string> allowed, string option)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = names.Except(allowed).ToList();
        return unknown.Count == 0 ? names : throw new ArgumentException($"{option}: unknown {string.Join(", ", unknown)}; known: {string.Join(", ", allowed)}.");
    }

    /// <summary>The results folder next to this project's sources (found from the repository root).</summary>
    private static string DefaultResultsDirectory()
    {
        var root = RepositoryRoot();
        return root is null ? Path.GetFullPath("results") : Path.Combine(root, "tests", "IopDirectory.Benchmarks", "results");
    }

    public static string? RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "IopDirectory.sln")))
                    return dir.FullName;
        return null;
    }
}

public sealed class HelpRequested : Exception;

public static class LoadModes
{
    /// <summary>GraphQL over HTTP to the API process.</summary>
    public const string Api = "api";

    /// <summary>The same search asking for the page only (id, name, distance): the API without its batch loaders.</summary>
    public const string ApiPage = "api-page";

    /// <summary>
    /// The best raw form through Npgsql: one statement (the page in the KNN-capable form with distance, phones and programs with
    /// tracks as JSON) on a connection with enable_bitmapscan = off and jit = off, so the KNN index-ordered scan is used;
    /// prepared on each connection and run with its generic plan, no reset on return to the pool.
    /// </summary>
    public const string Raw = "raw";

    /// <summary>The same statement on a default connection: what the planner picks by itself.</summary>
    public const string RawPlanner = "raw-planner";

    /// <summary>The API's own page statement (from <c>CenterSearch.NearestFirst</c>), sent through Npgsql as the API sends it: the database's share of an API request.</summary>
    public const string RawEfSql = "raw-ef-sql";

    /// <summary>
    /// The hotline's matchCaller over HTTP (HOTLINE token) at the same points: 25 miles, Medicaid, evening, age 34, family
    /// therapy preferred, 10 matches with reasons, gaps and transfer numbers. It does not depend on the search variant, so
    /// it runs with the canonical variant only.
    /// </summary>
    public const string Match = "match";

    public static readonly string[] All = [Api, ApiPage, Raw, RawPlanner, RawEfSql, Match];
}

public static class HttpClients
{
    /// <summary><see cref="LeanHttpClient"/>: a minimal HTTP/1.1 client, so the load generator takes little of the shared cores.</summary>
    public const string Lean = "lean";

    /// <summary>.NET's HttpClient (SocketsHttpHandler): what the benchmark used until the sixth session.</summary>
    public const string HttpClient = "httpclient";

    public static readonly string[] All = [Lean, HttpClient];
}
