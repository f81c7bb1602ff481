using System.Net;
using System.Net.Sockets;
using IopDirectory.Data;
using IopDirectory.Seeding;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IopDirectory.Tests.Operations;

/// <summary>
/// A PostgreSQL + PostGIS cluster of its own, for tests that stop and restart the database (the run's shared
/// cluster must stay up for everyone else). Lives under IOP_TEST_PGDATA, so test.sh kills it if a run crashes.
/// Holds one migrated and seeded database.
/// </summary>
public sealed class PrivateCluster : IAsyncLifetime
{
    public EmbeddedPostgres Server { get; } = new(
        Path.Combine(Environment.GetEnvironmentVariable("IOP_TEST_PGDATA") is { Length: > 0 } dir ? dir : Path.GetTempPath(),
            $"private-{Environment.ProcessId}-{Guid.NewGuid():N}"),
        FreePort());

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        await Server.CreateDatabaseAsync("iop_private");
        ConnectionString = Server.ConnectionString("iop_private");
        await using var db = TestDatabase.CreateContext(ConnectionString + ";Pooling=false");
        await db.Database.MigrateAsync();
        await Seeder.SeedSampleAsync(db, Seeder.FindSampleFile(), CancellationToken.None);
    }

    public Task StopAsync() => Server.StopAsync(immediate: true);

    public Task StartAsync() => Server.StartAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Server.StopAsync(immediate: true);
        try
        {
            Directory.Delete(Server.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
