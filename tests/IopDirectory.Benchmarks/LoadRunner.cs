using System.Diagnostics;

namespace IopDirectory.Benchmarks;

/// <summary>A request that completed but is wrong (non-200, GraphQL errors, no rows where rows were expected...).</summary>
public sealed class RequestFailedException(string message) : Exception(message);

public sealed record LatencyStats(long Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static LatencyStats From(List<double> milliseconds)
    {
        if (milliseconds.Count == 0) return new LatencyStats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        milliseconds.Sort();
        double At(double q) => milliseconds[Math.Min(milliseconds.Count - 1, (int)Math.Ceiling(q * milliseconds.Count) - 1)];
        return new LatencyStats(milliseconds.Count, milliseconds.Average(), At(0.50), At(0.95), At(0.99), milliseconds[^1]);
    }
}

/// <summary>What one client loop measured.</summary>
public sealed record RunMeasurement(
    double MeasuredSeconds,
    long Requests,
    long Errors,
    long TotalRequests,
    double Throughput,
    LatencyStats Latency,
    double RowsPerRequest,
    string? FirstError,
    IReadOnlyList<RequestTiming> Timings)
{
    /// <summary>A stall: more than this long with no request completing, while clients are waiting.</summary>
    public const double StallMs = 10;

    /// <summary>
    /// Gaps between consecutive completions longer than <see cref="StallMs"/>, and the longest gap. With 8 clients and a
    /// completion every 1–3 ms, random service times almost never leave 10 ms without one: such gaps are the whole machine
    /// (or the whole process) standing still.
    /// </summary>
    public (int Count, double LongestMs) Stalls { get; } = CountStalls(Timings);

    private static (int Count, double LongestMs) CountStalls(IReadOnlyList<RequestTiming> timings)
    {
        var ends = timings.Select(t => t.EndMs).Order().ToArray();
        int count = 0;
        double longest = 0;
        for (var i = 1; i < ends.Length; i++)
        {
            var gap = ends[i] - ends[i - 1];
            if (gap > StallMs) count++;
            longest = Math.Max(longest, gap);
        }
        return (count, longest);
    }
}

/// <summary>One measured request: which client sent which sequence number, and when it started and ended (ms into the window).</summary>
public readonly record struct RequestTiming(int Client, long Sequence, double StartMs, double EndMs, bool Ok);

/// <summary>
/// Closed-loop load: N clients, each sending its next request as soon as the previous one answered, for a warm-up
/// and then a measured window. A request counts when it starts and ends inside the window.
/// </summary>
public static class LoadRunner
{
    /// <param name="operation">One request: (client, sequence number) to rows returned; throws on failure.</param>
    public static async Task<RunMeasurement> RunAsync(int clients, TimeSpan warmup, TimeSpan measure, long maxRequests,
        Func<int, long, CancellationToken, Task<int>> operation, CancellationToken ct)
    {
        var frequency = (double)Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(warmup.TotalSeconds * frequency);
        var measureEnd = measureStart + (long)(measure.TotalSeconds * frequency);
        var total = 0L;
        var stop = false;
        string? firstError = null;

        var perClient = new (List<double> Latencies, long Errors, long Rows, List<RequestTiming> Timings)[clients];
        // Bound each request too: a request still running 30 s after the window closes is abandoned.
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        hardStop.CancelAfter(warmup + measure + TimeSpan.FromSeconds(30));

        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var latencies = new List<double>(4096);
            var timings = new List<RequestTiming>(4096);
            long errors = 0, rows = 0, sequence = client;
            while (!Volatile.Read(ref stop) && !hardStop.IsCancellationRequested)
            {
                if (Interlocked.Increment(ref total) > maxRequests)
                {
                    Volatile.Write(ref stop, true);
                    break;
                }
                var t0 = Stopwatch.GetTimestamp();
                var ok = true;
                var count = 0;
                try
                {
                    count = await operation(client, sequence, hardStop.Token);
                }
                catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    ok = false;
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
                var t1 = Stopwatch.GetTimestamp();
                sequence += clients;
                if (t0 >= measureStart && t1 <= measureEnd)
                {
                    latencies.Add((t1 - t0) * 1000 / frequency);
                    timings.Add(new RequestTiming(client, sequence - clients, (t0 - measureStart) * 1000 / frequency, (t1 - measureStart) * 1000 / frequency, ok));
                    if (ok) rows += count;
                    else errors++;
                }
                if (t1 >= measureEnd) break;
            }
            perClient[client] = (latencies, errors, rows, timings);
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        ct.ThrowIfCancellationRequested();

        var all = perClient.SelectMany(c => c.Latencies).ToList();
        var errorCount = perClient.Sum(c => c.Errors);
        var rowCount = perClient.Sum(c => c.Rows);
        var measured = Math.Min(measure.TotalSeconds, Math.Max(0, (Stopwatch.GetTimestamp() - measureStart) / frequency));
        var requests = all.Count;
        return new RunMeasurement(measured, requests, errorCount, Math.Min(Interlocked.Read(ref total), maxRequests),
            measured > 0 ? (requests - errorCount) / measured : 0, LatencyStats.From(all),
            requests - errorCount > 0 ? rowCount / (double)(requests - errorCount) : 0, firstError,
            [.. perClient.SelectMany(c => c.Timings).OrderBy(t => t.StartMs)]);
    }
}
