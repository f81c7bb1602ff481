using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;
using Npgsql;

namespace IopDirectory.Tests.Operations;

/// <summary>
/// SIGTERM (what an orchestrator sends) drains: the API stops taking new connections, finishes the requests in flight,
/// then exits cleanly. The API runs as its own process here, on Kestrel: the in-memory test server does not drain.
/// </summary>
[Collection(DatabaseCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ShutdownTests(TestDatabase database)
{
    [Fact]
    public async Task Sigterm_lets_the_request_in_flight_finish_then_exits_cleanly()
    {
        var connectionString = await database.CreateCopyAsync();
        await using var api = await ApiProcess.StartAsync(connectionString);
        var process = api.Process;
        // A request that waits on a lock we hold: it is in flight for as long as we like.
        await using var locker = new NpgsqlConnection(connectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("LOCK TABLE centers IN ACCESS EXCLUSIVE MODE", locker, transaction))
            await lockCommand.ExecuteNonQueryAsync();
        var inFlight = api.Client.PostAsync("/graphql", new StringContent("""{"query":"{ centers(first: 1) { totalCount } }"}""", Encoding.UTF8, "application/json"));
        await LockWaiters.WaitAsync(connectionString, 1);

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        // Shutdown has begun when new connections are refused; the request in flight is still waiting.
        for (var i = 0; i < 200 && await api.AcceptsConnectionsAsync(); i++) await Task.Delay(100);
        Assert.False(await api.AcceptsConnectionsAsync(), "the API still accepts connections after SIGTERM");
        Assert.False(inFlight.IsCompleted, "the request in flight ended before its lock was released");
        Assert.False(process.HasExited, "the API exited with a request in flight");

        await transaction.RollbackAsync();
        using var response = await inFlight;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.True((int)JsonNode.Parse(text)!["data"]!["centers"]!["totalCount"]! > 0, text);

        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {api.Output}");
    }
}
