using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using IopDirectory.Data;
using Npgsql;

namespace IopDirectory.Benchmarks;

/// <summary>
/// The benchmark's private PostgreSQL cluster (the API's <see cref="EmbeddedPostgres"/>) in its own folder,
/// with pg_stat_statements preloaded so statements per request can be counted.
/// </summary>
public sealed class Cluster
{
    private Cluster(EmbeddedPostgres postgres, string folder)
    {
        Postgres = postgres;
        Folder = folder;
    }

    public EmbeddedPostgres Postgres { get; }
    public string Folder { get; }
    public bool HasStatementStats { get; private set; }

    /// <summary>The huge pages reserved for the buffer pool (<c>--huge-pages</c>); null: normal pages.</summary>
    public HugePages? HugePages { get; private set; }

    public string ConnectionString(string database) => Postgres.ConnectionString(database);

    public static async Task<Cluster> StartAsync(string folder, bool hugePages, CancellationToken ct)
    {
        // The server runs as `postgres` when we are root: every folder above the data directory must be traversable.
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        var data = Path.Combine(folder, "pg");

        // A cluster left running by an interrupted run of this benchmark keeps its port; otherwise take a free one.
        var port = RunningPort(data) ?? FreePort();
        var postgres = new EmbeddedPostgres(data, port);
        await postgres.StartAsync();
        var cluster = new Cluster(postgres, folder);
        await cluster.EnablePgStatStatementsAsync(ct);
        if (hugePages) await cluster.RestartWithHugePagesAsync();
        return cluster;
    }

    public async Task StopAsync(bool immediate = false)
    {
        await Postgres.StopAsync(immediate);
        HugePages?.Release();
        HugePages = null;
    }

    /// <summary>
    /// Restarts the server on huge pages: counted with its final configuration (pg_stat_statements included),
    /// so it has to be stopped first; PostgreSQL's default <c>huge_pages = try</c> takes them.
    /// </summary>
    private async Task RestartWithHugePagesAsync()
    {
        await Postgres.StopAsync();
        HugePages = await HugePages.ReserveAsync(Postgres);
        var before = HugePages.MemInfo();
        try
        {
            await Postgres.StartAsync();
            NpgsqlConnection.ClearAllPools();
            HugePages.CheckTaken(before);
        }
        catch
        {
            await StopAsync(immediate: true);
            throw;
        }
        Console.Error.WriteLine($"cluster: shared memory on {HugePages.TakenByPostgres} huge pages of 2 MB (vm.nr_hugepages {HugePages.Before} -> {HugePages.Before + HugePages.Reserved}, restored at the end).");
    }

    private async Task EnablePgStatStatementsAsync(CancellationToken ct)
    {
        if (!await PreloadedAsync(ct))
        {
            var conf = Path.Combine(Postgres.DataDirectory, "postgresql.conf");
            try
            {
                await File.AppendAllTextAsync(conf, """

                    # written by IopDirectory.Benchmarks: count statements per request
                    shared_preload_libraries = 'pg_stat_statements'
                    pg_stat_statements.max = 10000
                    pg_stat_statements.track = top

                    """, ct);
                Console.Error.WriteLine("cluster: restarting with pg_stat_statements preloaded.");
                await Postgres.StopAsync();
                await Postgres.StartAsync();
                NpgsqlConnection.ClearAllPools();
            }
            catch (UnauthorizedAccessException e)
            {
                Console.Error.WriteLine($"cluster: cannot enable pg_stat_statements ({e.Message}); statements per request will not be measured.");
            }
        }
        HasStatementStats = await PreloadedAsync(ct);
    }

    private async Task<bool> PreloadedAsync(CancellationToken ct)
    {
        // Unpooled: a pooled connection would not survive the restart.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SHOW shared_preload_libraries", connection);
        return ((string?)await command.ExecuteScalarAsync(ct) ?? "").Contains("pg_stat_statements", StringComparison.Ordinal);
    }

    private static int? RunningPort(string data)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        try
        {
            var lines = File.ReadAllLines(pidFile);
            if (lines.Length >= 4 && int.TryParse(lines[0], out var pid) && Directory.Exists($"/proc/{pid}") && int.TryParse(lines[3], out var port))
                return port;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>CPU seconds used so far by the postmaster and all its processes (live backends plus reaped ones).</summary>
    public double CpuSeconds()
    {
        try
        {
            var pid = int.Parse(File.ReadLines(Path.Combine(Postgres.DataDirectory, "postmaster.pid")).First());
            var total = 0L;
            if (ProcStat.Read(pid) is { } root) total += root.Ticks + root.ChildTicks;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
                if (int.TryParse(Path.GetFileName(dir), out var child) && child != pid && ProcStat.Read(child) is { } stat && stat.ParentId == pid)
                    total += stat.Ticks;
            return total / (double)ProcStat.TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }
}

/// <summary>/proc/[pid]/stat: user + system ticks of a process and of its reaped children.</summary>
public readonly record struct ProcStat(int ParentId, long Ticks, long ChildTicks)
{
    public static readonly long TicksPerSecond = ClockTicks();

    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // pid (comm) state ppid ... ; comm may hold spaces and parentheses: split after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is state (field 3); utime is field 14, stime 15, cutime 16, cstime 17.
        return new ProcStat(int.Parse(fields[1]), long.Parse(fields[11]) + long.Parse(fields[12]), long.Parse(fields[13]) + long.Parse(fields[14]));
    }

    private static long ClockTicks()
    {
        try
        {
            var ticks = sysconf(2); // _SC_CLK_TCK
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    [DllImport("libc", SetLastError = false)]
    private static extern long sysconf(int name);
}

/// <summary>The whole machine's busy CPU time, from /proc/stat, to see how much other work shared the cores with a run.</summary>
public static class MachineCpu
{
    public static double BusySeconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal ...
            long Field(int i) => fields.Length > i ? long.Parse(fields[i]) : 0;
            var busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
            return busy / (double)ProcStat.TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }
}

/// <summary>CPU seconds so far: the API process, the PostgreSQL processes, this process and the whole machine.</summary>
public readonly record struct CpuSnapshot(long Timestamp, double Api, double Postgres, double Bench, double Machine)
{
    public static CpuSnapshot Take(ApiProcess? api, Cluster cluster) => new(Stopwatch.GetTimestamp(), api?.CpuSeconds() ?? 0, cluster.CpuSeconds(),
        Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, MachineCpu.BusySeconds());

    /// <summary>Cores used since <paramref name="start"/>; Other is what the machine did besides these three.</summary>
    public (double Api, double Postgres, double Bench, double Other) CoresSince(CpuSnapshot start)
    {
        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        var api = (Api - start.Api) / seconds;
        var postgres = (Postgres - start.Postgres) / seconds;
        var bench = (Bench - start.Bench) / seconds;
        var machine = (Machine - start.Machine) / seconds;
        return (api, postgres, bench, Math.Max(0, machine - api - postgres - bench));
    }
}

/// <summary>Reads a database's files once, so they are in the OS page cache before the runs.</summary>
public static class OsCache
{
    public static long Warm(Cluster cluster, uint databaseOid)
    {
        var folder = Path.Combine(cluster.Postgres.DataDirectory, "base", databaseOid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var buffer = new byte[1 << 20];
        long total = 0;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            int read;
            while ((read = stream.Read(buffer)) > 0) total += read;
        }
        return total;
    }
}
