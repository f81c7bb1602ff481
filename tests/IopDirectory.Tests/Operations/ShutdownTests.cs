using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Sigterm_lets_the_request_in_flight_finish_then_exits_cleanly()
    {
        var connectionString = await database.CreateCopyAsync();
        var dll = Path.Combine(Repository.Root, "src", "IopDirectory.Api", "bin", Configuration, "net10.0", "IopDirectory.Api.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        start.Environment["ConnectionStrings__Directory"] = connectionString;
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Auth__SigningKey"] = ApiFactory.SigningKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            for (var i = 0; ; i++)
            {
                try
                {
                    using var live = await client.GetAsync("/health/live");
                    if (live.IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) when (i < 120 && !process.HasExited)
                {
                }
                await Task.Delay(250);
            }

            // A request that waits on a lock we hold: it is in flight for as long as we like.
            await using var locker = new NpgsqlConnection(connectionString);
            await locker.OpenAsync();
            await using var transaction = await locker.BeginTransactionAsync();
            await using (var lockCommand = new NpgsqlCommand("LOCK TABLE centers IN ACCESS EXCLUSIVE MODE", locker, transaction))
                await lockCommand.ExecuteNonQueryAsync();
            var inFlight = client.PostAsync("/graphql", new StringContent("""{"query":"{ centers(first: 1) { totalCount } }"}""", Encoding.UTF8, "application/json"));
            await WaitForLockWaiterAsync(connectionString);

            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync();
            // Shutdown has begun when new connections are refused; the request in flight is still waiting.
            for (var i = 0; i < 200 && await AcceptsAsync(port); i++) await Task.Delay(100);
            Assert.False(await AcceptsAsync(port), "the API still accepts connections after SIGTERM");
            Assert.False(inFlight.IsCompleted, "the request in flight ended before its lock was released");
            Assert.False(process.HasExited, "the API exited with a request in flight");

            await transaction.RollbackAsync();
            using var response = await inFlight;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            Assert.True((int)JsonNode.Parse(text)!["data"]!["centers"]!["totalCount"]! > 0, text);

            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {output}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Waits until some session of the database waits for a lock (the API's query).</summary>
    private static async Task WaitForLockWaiterAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var i = 0; i < 300; i++)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("The API's query never waited on the lock.");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
