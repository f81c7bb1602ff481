using System.Net;
using IopDirectory.Callbacks;
using IopDirectory.GraphQL;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IopDirectory.Tests.Callbacks;

/// <summary>requestCallback is limited per client address; over the limit nothing is written.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class CallbackRateLimitTests(TestDatabase database)
{
    private static async Task<int> CountAsync(string connectionString)
    {
        await using var db = TestDatabase.CreateContext(connectionString);
        return await db.CallbackRequests.CountAsync();
    }

    [Fact]
    public async Task Over_the_limit_is_RATE_LIMITED_and_recovers_after_the_window()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection, maxPerIp: 2, windowSeconds: 2);

        for (var i = 0; i < 2; i++)
        {
            var ok = await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() });
            Assert.Null(ok["errors"]);
            Assert.Empty(ok["data"]!["requestCallback"]!["userErrors"]!.AsArray());
        }

        // TestServer has no remote address: every request shares the one "unknown" bucket.
        var limited = await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() });
        var error = Assert.Single(limited["errors"]!.AsArray())!;
        Assert.Equal(ErrorCodes.RateLimited, error["extensions"]!["code"]!.GetValue<string>());
        Assert.InRange(error["extensions"]!["retryAfterSeconds"]!.GetValue<int>(), 1, 2);
        Assert.Equal(["requestCallback"], error["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Null(limited["data"]);
        Assert.Equal(2, await CountAsync(connection));

        // Invalid attempts are refused too while limited (nothing is validated or written).
        var alsoLimited = await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input(i => i["consent"] = false) });
        Assert.Equal(ErrorCodes.RateLimited, alsoLimited["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());

        // Operators are not limited.
        var byOperator = await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() }, CallbackApi.Hotline());
        Assert.Empty(byOperator["data"]!["requestCallback"]!["userErrors"]!.AsArray());
        Assert.Equal(3, await CountAsync(connection));

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var again = await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() });
        Assert.Null(again["errors"]);
        Assert.Empty(again["data"]!["requestCallback"]!["userErrors"]!.AsArray());
        Assert.Equal(4, await CountAsync(connection));
    }

    [Fact]
    public async Task Every_attempt_counts_including_invalid_ones_and_aliases()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection, maxPerIp: 3);

        var body = await api.GraphQLAsync("""
            mutation($good: RequestCallbackInput!, $bad: RequestCallbackInput!) {
              a: requestCallback(input: $bad) { userErrors { code } }
              b: requestCallback(input: $good) { callbackRequest { id } }
              c: requestCallback(input: $good) { callbackRequest { id } }
              d: requestCallback(input: $good) { callbackRequest { id } }
            }
            """, new { good = Caller.Input(), bad = Caller.Input(i => i["consent"] = false) });

        // Three attempts allowed (one refused for consent), the fourth limited: GraphQL nulls the
        // whole data object because the field is non-null, and nothing more is written.
        Assert.Equal(ErrorCodes.RateLimited, body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(["d"], body["errors"]![0]!["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(2, await CountAsync(connection));
    }

    [Fact]
    public async Task The_limit_is_read_from_configuration()
    {
        await using var api = new CallbackApi(database.SharedConnectionString, maxPerIp: 7, windowSeconds: 90);
        var options = ((IOptions<CallbackOptions>)api.Services.GetService(typeof(IOptions<CallbackOptions>))!).Value;
        Assert.Equal(7, options.MaxPerIpPerHour);
        Assert.Equal(90, options.WindowSeconds);

        // The defaults: five an hour.
        Assert.Equal(5, new CallbackOptions().MaxPerIpPerHour);
        Assert.Equal(3600, new CallbackOptions().WindowSeconds);
    }

    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; } = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    private static (CallbackRateLimiter Limiter, ManualClock Clock) Limiter(int max = 2, int windowSeconds = 60)
    {
        var clock = new ManualClock();
        return (new CallbackRateLimiter(Options.Create(new CallbackOptions { MaxPerIpPerHour = max, WindowSeconds = windowSeconds }), clock), clock);
    }

    [Fact]
    public void The_window_slides()
    {
        var (limiter, clock) = Limiter(max: 2, windowSeconds: 60);
        var ip = IPAddress.Parse("203.0.113.9");

        Assert.True(limiter.TryAcquire(ip).Allowed);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(limiter.TryAcquire(ip).Allowed);
        var refused = limiter.TryAcquire(ip);
        Assert.False(refused.Allowed);
        Assert.Equal(30, refused.RetryAfterSeconds);

        clock.Advance(TimeSpan.FromSeconds(29.5));
        Assert.Equal(1, limiter.TryAcquire(ip).RetryAfterSeconds);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(limiter.TryAcquire(ip).Allowed); // the first attempt left the window
        Assert.False(limiter.TryAcquire(ip).Allowed); // the second has not
    }

    [Fact]
    public void Addresses_are_counted_separately_IPv6_by_its_64_prefix()
    {
        var (limiter, _) = Limiter(max: 1);

        Assert.True(limiter.TryAcquire(IPAddress.Parse("203.0.113.9")).Allowed);
        Assert.False(limiter.TryAcquire(IPAddress.Parse("203.0.113.9")).Allowed);
        Assert.False(limiter.TryAcquire(IPAddress.Parse("::ffff:203.0.113.9")).Allowed);
        Assert.True(limiter.TryAcquire(IPAddress.Parse("203.0.113.10")).Allowed);

        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2::1")).Allowed);
        Assert.False(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2:ffff::7")).Allowed);
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:3::1")).Allowed);

        Assert.True(limiter.TryAcquire(null).Allowed);
        Assert.False(limiter.TryAcquire(null).Allowed);
        Assert.Equal(CallbackRateLimiter.UnknownKey, CallbackRateLimiter.KeyOf(null));
        Assert.Equal("2001:db8:1:2::/64", CallbackRateLimiter.KeyOf(IPAddress.Parse("2001:db8:1:2:abcd::1")));
    }

    [Fact]
    public void Idle_addresses_are_forgotten()
    {
        var (limiter, clock) = Limiter(max: 5, windowSeconds: 60);
        for (var i = 0; i < 1000; i++)
            limiter.TryAcquire(new IPAddress([10, 0, (byte)(i / 256), (byte)(i % 256)]));
        Assert.Equal(1000, limiter.TrackedKeys);

        clock.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 24; i++)
            limiter.TryAcquire(IPAddress.Parse("192.0.2.1"));
        Assert.Equal(1, limiter.TrackedKeys);
    }

    [Fact]
    public async Task The_limit_holds_under_concurrency()
    {
        var (limiter, _) = Limiter(max: 50);
        var ip = IPAddress.Parse("198.51.100.4");
        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Task.Run(() => limiter.TryAcquire(ip).Allowed)));
        Assert.Equal(50, results.Count(r => r));
    }
}
