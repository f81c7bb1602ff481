using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace IopDirectory.Callbacks;

/// <summary>Settings of the "let us call you" feature, section <c>Callbacks</c>.</summary>
public sealed class CallbackOptions
{
    /// <summary>Most <c>requestCallback</c> attempts one client address may make per window.</summary>
    public int MaxPerIpPerHour { get; set; } = 5;

    /// <summary>The rate limit's sliding window, in seconds (an hour unless a test shortens it).</summary>
    public int WindowSeconds { get; set; } = 3600;

    /// <summary>Longest preferred window a caller may give, in days.</summary>
    public int MaxPreferredWindowDays { get; set; } = 14;

    /// <summary>How far ahead a preferred window may start, in days.</summary>
    public int MaxLeadDays { get; set; } = 30;

    /// <summary>How far in the past a window may start (clock skew, "from now"), in minutes.</summary>
    public int StartGraceMinutes { get; set; } = 60;

    public bool IsValid() =>
        MaxPerIpPerHour >= 1 && WindowSeconds >= 1 && MaxPreferredWindowDays >= 1 && MaxLeadDays >= 1 && StartGraceMinutes >= 0;
}

/// <summary>The limiter's answer: allowed, or refused with the seconds until the oldest attempt leaves the window.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int RetryAfterSeconds);

/// <summary>
/// A sliding-window log per client address: each key keeps the monotonic timestamps of its attempts in
/// the current window (at most <see cref="CallbackOptions.MaxPerIpPerHour"/> of them), so the limit is
/// exact, not an approximation. Singleton and thread-safe, but in this process's memory only: with N
/// replicas behind a load balancer a client gets up to N times the limit, and a restart forgets every
/// count. Scaling out needs the counts in a shared store (e.g. a Redis sorted set per key, or a row per
/// attempt in PostgreSQL) or the limit enforced at the gateway.
/// </summary>
public sealed class CallbackRateLimiter(IOptions<CallbackOptions> options, TimeProvider clock)
{
    /// <summary>The one bucket every request without a known remote address shares (e.g. TestServer).</summary>
    public const string UnknownKey = "unknown";

    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private int _calls;

    /// <summary>How many addresses currently have attempts on record (for tests and metrics).</summary>
    public int TrackedKeys => _buckets.Count;

    /// <summary>Records an attempt from <paramref name="address"/> if it is within the limit.</summary>
    public RateLimitDecision TryAcquire(IPAddress? address)
    {
        var settings = options.Value;
        var now = clock.GetTimestamp();
        var window = (long)(settings.WindowSeconds * (double)clock.TimestampFrequency);
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0) Sweep(now, window);

        var key = KeyOf(address);
        while (true)
        {
            var bucket = _buckets.GetOrAdd(key, static _ => new Bucket());
            lock (bucket)
            {
                // A sweep removed this bucket between GetOrAdd and lock: take the fresh one.
                if (bucket.Removed) continue;
                while (bucket.Hits.Count > 0 && now - bucket.Hits.Peek() >= window) bucket.Hits.Dequeue();
                if (bucket.Hits.Count >= settings.MaxPerIpPerHour)
                {
                    var wait = bucket.Hits.Peek() + window - now;
                    var seconds = (int)Math.Ceiling(wait / (double)clock.TimestampFrequency);
                    return new RateLimitDecision(false, Math.Max(1, seconds));
                }
                bucket.Hits.Enqueue(now);
                return new RateLimitDecision(true, 0);
            }
        }
    }

    /// <summary>
    /// The limiter's key for an address: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its /64 prefix
    /// (one subscriber's allocation, which a client can rotate through freely), null as one shared bucket.
    /// </summary>
    public static string KeyOf(IPAddress? address)
    {
        if (address is null) return UnknownKey;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Drops buckets whose every attempt has left the window, so memory follows active clients only.</summary>
    private void Sweep(long now, long window)
    {
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                while (bucket.Hits.Count > 0 && now - bucket.Hits.Peek() >= window) bucket.Hits.Dequeue();
                if (bucket.Hits.Count > 0) continue;
                bucket.Removed = true;
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
            }
        }
    }

    private sealed class Bucket
    {
        public Queue<long> Hits { get; } = new();
        public bool Removed { get; set; }
    }
}
