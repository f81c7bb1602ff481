using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using IopDirectory.GraphQL;
using IopDirectory.Tests.Callbacks;
using Npgsql;

namespace IopDirectory.Tests.Operations;

/// <summary>
/// The database goes away under a running API (immediate shutdown, as in a crash) and comes back: requests fail
/// fast and clearly while it is gone, the API recovers without a restart, and no acknowledged write is lost.
/// On a private cluster: the run's shared one stays up.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DatabaseFaultTests(PrivateCluster cluster) : IClassFixture<PrivateCluster>
{
    private const string Count = "{ centers(first: 1) { totalCount } }";

    [Fact]
    public async Task Database_down_gets_503_with_retry_after_and_the_api_recovers_when_it_returns()
    {
        await using var api = new OperationsApi(cluster.ConnectionString);
        // The bound is a hang detector, not a benchmark: a request that waits on a dead database fails the test.
        using var client = api.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(20);

        var (before, beforeBody, _) = await api.PostAsync(client, Count);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var total = (int)beforeBody["data"]!["centers"]!["totalCount"]!;
        Assert.True(total > 0);

        await cluster.StopAsync();
        try
        {
            // Twice: the first meets a pooled connection the server dropped, the second a refused connect.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var (down, body, text) = await api.PostAsync(client, Count);
                Assert.True(down.StatusCode == HttpStatusCode.ServiceUnavailable, $"attempt {attempt}: {(int)down.StatusCode} {text}");
                Assert.Equal(ErrorCodes.ServiceUnavailable, OperationsApi.Code(body));
                Assert.True(down.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
                Assert.DoesNotContain("Npgsql", text);
                Assert.DoesNotContain("127.0.0.1", text);
            }
            using var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var live = await client.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            // Requests that need no database still answer.
            var (typename, _, _) = await api.PostAsync(client, "{ __typename }");
            Assert.Equal(HttpStatusCode.OK, typename.StatusCode);
        }
        finally
        {
            await cluster.StartAsync();
        }

        // The first request after the database returns is answered normally: no restart, no dead pooled connection.
        var (after, afterBody, afterText) = await api.PostAsync(client, Count);
        Assert.True(after.StatusCode == HttpStatusCode.OK, afterText);
        Assert.Null(afterBody["errors"]);
        Assert.Equal(total, (int)afterBody["data"]!["centers"]!["totalCount"]!);
        using var readyAgain = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
    }

    [Fact]
    public async Task A_query_bug_is_not_reported_as_the_database_being_down()
    {
        // The positive control for the mapping: a statement the server rejects (here: no tables at all) is a bug,
        // INTERNAL_SERVER_ERROR with 200, not the database being down.
        var name = $"iop_empty_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(cluster.Server.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var broken = cluster.Server.ConnectionString(name);

        await using var api = new OperationsApi(broken);
        using var client = api.CreateClient();
        var (response, body, _) = await api.PostAsync(client, Count);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ErrorCodes.Internal, OperationsApi.Code(body));
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task No_acknowledged_write_is_lost_when_the_database_is_killed_mid_stream()
    {
        await using var api = new OperationsApi(cluster.ConnectionString, new Dictionary<string, string>
        {
            ["Callbacks:MaxPerIpPerHour"] = "1000000",
        });
        var acknowledged = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<int>();
        var sent = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var killAfter = 150;
        var totalRequests = 600;
        var killed = new TaskCompletionSource();

        async Task WriterAsync(int worker)
        {
            using var client = api.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(30);
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref sent);
                if (n > totalRequests) return;
                var name = $"Durable Writer {worker} {n}";
                var input = Caller.Input(i => i["name"] = name);
                var (response, body, _) = await api.PostAsync(client, Caller.RequestMutation, new { input });
                if (response.StatusCode == HttpStatusCode.OK && body["data"]?["requestCallback"]?["callbackRequest"]?["id"] is not null)
                    acknowledged.Add(name);
                else
                    failures.Add((int)response.StatusCode);
                if (acknowledged.Count >= killAfter) killed.TrySetResult();
            }
        }

        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(() => WriterAsync(w))).ToArray();
        await Task.WhenAny(killed.Task, Task.WhenAll(writers));
        await cluster.StopAsync();          // immediate: no checkpoint, in-flight transactions cut off
        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.StartAsync();         // crash recovery from the WAL
        await Task.WhenAll(writers);

        Assert.True(acknowledged.Count >= killAfter, $"only {acknowledged.Count} writes were acknowledged");
        Assert.Contains(failures, status => status == 503);

        var stored = new HashSet<string>();
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT name FROM callback_requests WHERE name LIKE 'Durable Writer %'", connection);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        }
        var lost = acknowledged.Where(name => !stored.Contains(name)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes are missing: {string.Join(", ", lost.Take(5))}");
    }
}
