using System.Diagnostics;
using System.Net;
using IopDirectory.Data;
using Npgsql;

namespace IopDirectory.Tests.Operations;

/// <summary>
/// Read replicas on the engine we have: a real primary and a streaming standby on loopback (pg_basebackup -R), and
/// an API whose connection string names both (Npgsql multi-host, <c>Target Session Attributes=prefer-standby</c>).
/// Search is served by the standby (it answers with the primary stopped), and keeps answering from the primary when
/// the standby stops.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StandbyTests(PrivateCluster primary) : IClassFixture<PrivateCluster>
{
    private const string Search = "{ searchCenters(nearZip: \"85004\", first: 3) { totalCount nodes { name } } }";

    [Fact]
    public async Task Search_is_served_by_the_standby_and_continues_on_the_primary_when_the_standby_stops()
    {
        var standby = new EmbeddedPostgres(primary.Server.DataDirectory + "-standby", FreePort());
        await BaseBackupAsync(primary.Server, standby.DataDirectory);
        await standby.StartAsync();
        try
        {
            var hosts = $"Host=127.0.0.1:{standby.Port},127.0.0.1:{primary.Server.Port};Username=postgres;Database=iop_private;"
                + "Target Session Attributes=prefer-standby;Load Balance Hosts=false;Timeout=3";
            await using (var check = new NpgsqlConnection(hosts + ";Pooling=false"))
            {
                await check.OpenAsync();
                await using var recovery = new NpgsqlCommand("SELECT pg_is_in_recovery()", check);
                Assert.True((bool)(await recovery.ExecuteScalarAsync())!, "the connection string did not pick the standby");
            }

            await using var api = new OperationsApi(hosts);
            using var client = api.CreateClient();
            var (ok, body, text) = await api.PostAsync(client, Search);
            Assert.True(ok.StatusCode == HttpStatusCode.OK && body["errors"] is null, text);
            var expected = body["data"]!.ToJsonString();
            // A write on the standby is refused with its own code, not as a fault of ours.
            var (write, writeBody, writeText) = await api.PostAsync(client, Callbacks.Caller.RequestMutation, new { input = Callbacks.Caller.Input() });
            Assert.True(write.StatusCode == HttpStatusCode.OK, writeText);
            Assert.Equal(IopDirectory.Operations.DatabaseFaults.ReadOnlyCode, OperationsApi.Code(writeBody));

            // With the primary gone, the same answer: it came from the standby.
            await primary.StopAsync();
            try
            {
                var (fromStandby, standbyBody, standbyText) = await api.PostAsync(client, Search);
                Assert.True(fromStandby.StatusCode == HttpStatusCode.OK && standbyBody["errors"] is null, standbyText);
                Assert.Equal(expected, standbyBody["data"]!.ToJsonString());
            }
            finally
            {
                await primary.StartAsync();
            }

            // With the standby gone, reads continue on the primary.
            await standby.StopAsync(immediate: true);
            NpgsqlConnection.ClearAllPools();
            // The first request may still meet the dead standby (Npgsql marks a host offline when a connection to it
            // fails): that is a 503 with Retry-After, and the retry is served by the primary.
            var (fromPrimary, primaryBody, primaryText) = await api.PostAsync(client, Search);
            if (fromPrimary.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal(IopDirectory.GraphQL.ErrorCodes.ServiceUnavailable, OperationsApi.Code(primaryBody));
                (fromPrimary, primaryBody, primaryText) = await api.PostAsync(client, Search);
            }
            Assert.True(fromPrimary.StatusCode == HttpStatusCode.OK && primaryBody["errors"] is null, primaryText);
            Assert.Equal(expected, primaryBody["data"]!.ToJsonString());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await standby.StopAsync(immediate: true);
            try
            {
                Directory.Delete(standby.DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task BaseBackupAsync(EmbeddedPostgres source, string target)
    {
        var bin = EmbeddedPostgres.FindBinDirectory();
        Directory.CreateDirectory(target);
        var root = Environment.UserName == "root";
        if (root) await RunAsync("chown", ["postgres:postgres", target]);
        await RunAsync(root ? "runuser" : Path.Combine(bin, "pg_basebackup"),
            [.. root ? new[] { "-u", "postgres", "--", Path.Combine(bin, "pg_basebackup") } : [],
             "-h", "127.0.0.1", "-p", source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres",
             "-D", target, "-R", "-X", "stream", "--checkpoint=fast"]);
        if (root) await RunAsync("chmod", ["700", target]);
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/" };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {await stderr}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
