using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IopDirectory.Operations;
using IopDirectory.Tests.Infrastructure;
using Npgsql;

namespace IopDirectory.Tests.Operations;

/// <summary>
/// <c>Server:MaxWorkerThreads</c> caps the thread pool (Operations/WorkerThreads.cs). The cap is only safe because no
/// request holds a thread while it waits: the process test holds more requests than cores waiting on the database and
/// checks that other requests are answered meanwhile.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class WorkerThreadsTests(TestDatabase database)
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("cores", 4)]
    [InlineData(" Cores ", 4)]
    [InlineData("4", 4)]
    [InlineData("16", 16)]
    public void The_setting_names_a_cap_or_none(string? value, int? expected) =>
        Assert.Equal(expected, WorkerThreads.Resolve(value, cores: 4));

    [Theory]
    [InlineData("3")]
    [InlineData("-8")]
    [InlineData("many")]
    [InlineData("4.5")]
    public void A_cap_below_the_cores_or_not_a_number_is_refused_with_the_setting_named(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => WorkerThreads.Resolve(value, cores: 4));
        Assert.Contains(WorkerThreads.Setting, error.Message);
        Assert.Contains("(4)", error.Message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Capped_at_the_cores_requests_waiting_on_the_database_hold_no_thread()
    {
        var connectionString = await database.CreateCopyAsync();
        await using var api = await ApiProcess.StartAsync(connectionString, new Dictionary<string, string>
        {
            ["Server__MaxWorkerThreads"] = "cores",
            // Connections are not what runs out here: the waiting requests each hold one.
            ["Database__MaxPoolSize"] = "40",
            ["Logging__LogLevel__IopDirectory.Api"] = "Information",
        });
        var capped = $"Thread pool capped at {Environment.ProcessorCount} worker threads";
        for (var i = 0; i < 50 && !api.Output.Contains(capped); i++) await Task.Delay(100);
        Assert.Contains(capped, api.Output);

        // Requests that read phones wait behind a lock we hold on the table: more of them than there are threads.
        await using var locker = new NpgsqlConnection(connectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("LOCK TABLE phones IN ACCESS EXCLUSIVE MODE", locker, transaction))
            await lockCommand.ExecuteNonQueryAsync();
        var waiting = Enumerable.Range(0, Environment.ProcessorCount + 2)
            .Select(_ => PostAsync(api, "{ centers(first: 3) { edges { node { name phones { number } } } } }"))
            .ToList();
        await LockWaiters.WaitAsync(connectionString, waiting.Count);

        // Meanwhile the API answers requests that do not read phones.
        using var answered = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 10; i++)
        {
            var (status, body) = await PostAsync(api, "{ centers(first: 3) { totalCount edges { node { name } } } }").WaitAsync(answered.Token);
            Assert.True(status == HttpStatusCode.OK && (int)JsonNode.Parse(body)!["data"]!["centers"]!["totalCount"]! > 0, body);
        }
        Assert.All(waiting, request => Assert.False(request.IsCompleted, "a request behind the lock finished before the lock was released"));

        await transaction.RollbackAsync();
        foreach (var request in waiting)
        {
            var (status, body) = await request;
            Assert.True(status == HttpStatusCode.OK && JsonNode.Parse(body)!["data"]!["centers"]!["edges"]!.AsArray().Count == 3, body);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(ApiProcess api, string query)
    {
        using var response = await api.Client.PostAsync("/graphql",
            new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
