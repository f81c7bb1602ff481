using System.Collections.Concurrent;
using System.Net;

namespace IopDirectory.Partners;

/// <summary>One token bucket's size: how many cost points it holds and how fast it refills.</summary>
public sealed class BucketOptions
{
    public double MaximumAvailable { get; set; }

    /// <summary>Points restored per second.</summary>
    public double RestoreRate { get; set; }

    public bool IsValid() => MaximumAvailable >= 1 && RestoreRate > 0;
}

/// <summary>Settings of the cost limits, section <c>CostLimits</c>.</summary>
public sealed class CostLimitOptions
{
    /// <summary>The bucket of each partner key.</summary>
    public BucketOptions Partner { get; set; } = new() { MaximumAvailable = 10_000, RestoreRate = 500 };

    /// <summary>The bucket of each client address without a key (and of each bearer-token subject).</summary>
    public BucketOptions Anonymous { get; set; } = new() { MaximumAvailable = 2_000, RestoreRate = 100 };

    /// <summary>
    /// Requests without a partner key from a loopback address (local tools, the benchmark, a reverse proxy on the same
    /// host that does not forward the client's address) are not limited. Partner keys are always limited.
    /// </summary>
    public bool ExemptLoopback { get; set; } = true;
}

/// <summary>A bucket's state as Shopify reports it: <c>throttleStatus</c>.</summary>
public readonly record struct ThrottleStatus(double MaximumAvailable, double CurrentlyAvailable, double RestoreRate);

/// <summary>The limiter's answer for one operation.</summary>
public readonly record struct CostDecision(bool Allowed, ThrottleStatus Status, int RetryAfterSeconds);

/// <summary>
/// Token buckets by key (a partner key, a client address, a token subject). A query's cost, from GraphQL.NET's
/// complexity analysis, is taken from the bucket before it runs; the bucket refills at its restore rate. Singleton,
/// in this process's memory (like the call-back limiter: N replicas allow N times the rate; a shared store would fix
/// that). Time comes from the injected <see cref="TimeProvider"/>, so tests move the clock instead of sleeping.
/// </summary>
public sealed class CostLimiter(TimeProvider clock)
{
    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private int _calls;

    /// <summary>Takes <paramref name="cost"/> points if the bucket holds them; otherwise takes nothing and says when it will.</summary>
    public CostDecision TryTake(string key, BucketOptions size, double cost)
    {
        var now = clock.GetTimestamp();
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0) Sweep(now, size);
        var bucket = _buckets.GetOrAdd(key, static (_, s) => new Bucket(s.MaximumAvailable, 0), size);
        lock (bucket)
        {
            Refill(bucket, now, size);
            if (cost <= bucket.Available)
            {
                bucket.Available -= cost;
                return new(true, new(size.MaximumAvailable, bucket.Available, size.RestoreRate), 0);
            }
            var wait = (cost - bucket.Available) / size.RestoreRate;
            return new(false, new(size.MaximumAvailable, bucket.Available, size.RestoreRate), Math.Max(1, (int)Math.Ceiling(wait)));
        }
    }

    /// <summary>The bucket's state without taking anything.</summary>
    public ThrottleStatus Peek(string key, BucketOptions size)
    {
        if (!_buckets.TryGetValue(key, out var bucket)) return new(size.MaximumAvailable, size.MaximumAvailable, size.RestoreRate);
        lock (bucket)
        {
            Refill(bucket, clock.GetTimestamp(), size);
            return new(size.MaximumAvailable, bucket.Available, size.RestoreRate);
        }
    }

    private void Refill(Bucket bucket, long now, BucketOptions size)
    {
        if (bucket.Stamp != 0)
        {
            var seconds = (now - bucket.Stamp) / (double)clock.TimestampFrequency;
            bucket.Available = Math.Min(size.MaximumAvailable, bucket.Available + seconds * size.RestoreRate);
        }
        bucket.Stamp = now;
    }

    /// <summary>Forgets buckets that have been full for a while, so memory follows active clients only.</summary>
    private void Sweep(long now, BucketOptions size)
    {
        var idle = (long)(clock.TimestampFrequency * (size.MaximumAvailable / size.RestoreRate + 60));
        foreach (var (key, bucket) in _buckets)
            if (now - bucket.Stamp > idle) _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
    }

    /// <summary>The bucket key of a request: its partner key, else its token subject, else its client address.</summary>
    public static string KeyOf(PartnerRequest partner, System.Security.Claims.ClaimsPrincipal? user, IPAddress? address) =>
        partner.Key is { } key ? $"key:{key.Id}"
        : user?.Identity?.IsAuthenticated == true && user.FindFirst("sub")?.Value is { } subject ? $"sub:{subject}"
        : "ip:" + Callbacks.CallbackRateLimiter.KeyOf(address);

    private sealed class Bucket(double available, long stamp)
    {
        public double Available { get; set; } = available;
        public long Stamp { get; set; } = stamp;
    }
}
