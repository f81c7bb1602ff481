using System.Globalization;
using IopDirectory.Data;

namespace IopDirectory.Benchmarks;

/// <summary>
/// Linux huge pages for the cluster's shared memory (<c>--huge-pages</c>): reserves as many 2 MB pages as PostgreSQL
/// reports it needs (<c>postgres -C shared_memory_size_in_huge_pages</c>, with the server stopped), so its default
/// <c>huge_pages = try</c> maps the buffer pool with them, and gives them back at the end.
/// On this machine that takes the buffer pool out of DAMON's access sampling (see the README's ninth session).
/// Needs root (it writes <c>/proc/sys/vm/nr_hugepages</c>).
/// </summary>
public sealed class HugePages
{
    private const string Knob = "/proc/sys/vm/nr_hugepages";

    private HugePages(long before, long reserved)
    {
        Before = before;
        Reserved = reserved;
    }

    /// <summary>The machine's setting before this run, restored by <see cref="Release"/>.</summary>
    public long Before { get; }

    /// <summary>Pages added for PostgreSQL.</summary>
    public long Reserved { get; }

    /// <summary>Pages PostgreSQL took when it started (in use or reserved by its mapping).</summary>
    public long TakenByPostgres { get; private set; }

    /// <summary>Reserves the pages the stopped cluster needs; throws when the machine cannot give them.</summary>
    public static async Task<HugePages> ReserveAsync(EmbeddedPostgres postgres)
    {
        var needed = await NeededAsync(postgres);
        var before = long.Parse(File.ReadAllText(Knob).Trim(), CultureInfo.InvariantCulture);
        File.WriteAllText(Knob, (before + needed).ToString(CultureInfo.InvariantCulture));
        var now = long.Parse(File.ReadAllText(Knob).Trim(), CultureInfo.InvariantCulture);
        if (now < before + needed)
        {
            File.WriteAllText(Knob, before.ToString(CultureInfo.InvariantCulture));
            throw new InvalidOperationException($"--huge-pages: the kernel gave {now - before} of the {needed} huge pages PostgreSQL needs (memory too fragmented?).");
        }
        return new HugePages(before, needed);
    }

    /// <summary>After the server started: checks that it mapped its shared memory with the reserved pages.</summary>
    public void CheckTaken((long Free, long Reserved) beforeStart)
    {
        var (free, reserved) = MemInfo();
        // A mapping reserves its pages (HugePages_Rsvd, counted as free until touched); touched pages leave HugePages_Free.
        TakenByPostgres = beforeStart.Free - free + reserved - beforeStart.Reserved;
        if (TakenByPostgres < Reserved)
            throw new InvalidOperationException($"--huge-pages: PostgreSQL took {TakenByPostgres} of the {Reserved} huge pages reserved for it (huge_pages = off in its configuration?).");
    }

    /// <summary>Gives the pages back (the server must be stopped, or they stay in use until it is).</summary>
    public void Release()
    {
        try
        {
            File.WriteAllText(Knob, Before.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cluster: could not restore {Knob} to {Before}: {e.Message}");
        }
    }

    /// <summary>HugePages_Free and HugePages_Rsvd from /proc/meminfo.</summary>
    public static (long Free, long Reserved) MemInfo()
    {
        long free = 0, reserved = 0;
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            var parts = line.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2) continue;
            switch (parts[0])
            {
                case "HugePages_Free": free = long.Parse(parts[1], CultureInfo.InvariantCulture); break;
                case "HugePages_Rsvd": reserved = long.Parse(parts[1], CultureInfo.InvariantCulture); break;
            }
        }
        return (free, reserved);
    }

    private static async Task<long> NeededAsync(EmbeddedPostgres postgres)
    {
        var answer = await postgres.ServerSettingAsync("shared_memory_size_in_huge_pages");
        if (!long.TryParse(answer, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pages) || pages <= 0)
            throw new InvalidOperationException($"--huge-pages: `postgres -C shared_memory_size_in_huge_pages` answered '{answer}'.");
        return pages;
    }
}
