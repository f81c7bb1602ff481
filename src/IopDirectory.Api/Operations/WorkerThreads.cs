namespace IopDirectory.Operations;

/// <summary>
/// An optional cap on the .NET thread pool's worker threads, <c>Server:MaxWorkerThreads</c>: a number, or <c>cores</c>
/// for this machine's core count; unset or 0 leaves .NET's own policy (which adds threads when it sees them busy).
/// <para>
/// Why: every request of the API is asynchronous end to end (sockets, Npgsql, EF Core), so a thread is busy only while
/// it computes, and more threads than cores only take turns on them. On the 2-core benchmark machine .NET kept three
/// or more workers for two cores, waking and parking them several times a search (five futex calls and one
/// sched_yield per search, strace); capped at the cores, the API used 10–11% less CPU a search (11 of 12 interleaved
/// pairs, twice) and served 3% more (tests/IopDirectory.Benchmarks/README.md, tenth session).
/// </para>
/// <para>
/// The price: a thread that blocks (a synchronous wait on I/O, a lock held long) takes a core's worth of the pool until
/// it returns, and .NET cannot add one. Nothing in the API blocks that way, and a test runs the API as a process with the
/// cap while more requests than cores wait on the database and searches go on around them
/// (tests/IopDirectory.Tests/Operations/WorkerThreadsTests.cs). Off by default; `./run.sh` does not set it.
/// </para>
/// </summary>
public static class WorkerThreads
{
    public const string Setting = "Server:MaxWorkerThreads";

    /// <summary>The cap a setting asks for on a machine of <paramref name="cores"/> cores; null for none.</summary>
    public static int? Resolve(string? value, int cores)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text == "0") return null;
        if (text.Equals("cores", StringComparison.OrdinalIgnoreCase)) return cores;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count >= cores)
            return count;
        throw new InvalidOperationException(
            $"{Setting} must be 0 (the .NET default), `cores`, or a number of threads of at least the core count ({cores}); it is `{value}`.");
    }

    /// <summary>Applies the setting to this process's thread pool (serving only: tests host the API in their own process).</summary>
    public static void Apply(IConfiguration configuration, ILogger logger)
    {
        if (Resolve(configuration[Setting], Environment.ProcessorCount) is not { } max) return;
        ThreadPool.GetMaxThreads(out _, out var completionPorts);
        if (!ThreadPool.SetMaxThreads(max, completionPorts))
            throw new InvalidOperationException($"{Setting}: the thread pool refused a maximum of {max} worker threads.");
        logger.LogInformation("Thread pool capped at {Max} worker threads ({Cores} cores).", max, Environment.ProcessorCount);
    }
}
