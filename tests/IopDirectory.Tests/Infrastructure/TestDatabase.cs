using System.Net;
using System.Net.Sockets;
using IopDirectory.Data;
using IopDirectory.Seeding;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IopDirectory.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL + PostGIS cluster for the whole test run, with a migrated and seeded
/// template database. Tests that write get their own copy (CREATE DATABASE ... TEMPLATE), so they
/// never see each other's rows. test.sh points IOP_TEST_PGDATA at a folder it cleans up.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private const string Template = "iop_template";
    private static int _copies;

    public EmbeddedPostgres Server { get; } = new(
        Environment.GetEnvironmentVariable("IOP_TEST_PGDATA") is { Length: > 0 } dir
            ? Path.Combine(dir, $"cluster-{Environment.ProcessId}")
            : Path.Combine(Path.GetTempPath(), $"iop-test-{Environment.ProcessId}"),
        FreePort());

    /// <summary>A seeded database shared by the read-only tests.</summary>
    public string SharedConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        await Server.CreateDatabaseAsync(Template);
        // No pooling: CREATE DATABASE ... TEMPLATE needs every connection to the template closed.
        await using (var db = CreateContext(Server.ConnectionString(Template) + ";Pooling=false"))
        {
            await db.Database.MigrateAsync();
            await Seeder.SeedSampleAsync(db, Seeder.FindSampleFile(), CancellationToken.None);
        }
        SharedConnectionString = await CreateCopyAsync("iop_shared");
    }

    /// <summary>A fresh copy of the seeded template, for a test that writes.</summary>
    public async Task<string> CreateCopyAsync(string? name = null)
    {
        name ??= $"iop_copy_{Interlocked.Increment(ref _copies)}";
        await using var connection = new NpgsqlConnection(Server.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {Template}", connection);
        await command.ExecuteNonQueryAsync();
        return Server.ConnectionString(name);
    }

    public static DirectoryDbContext CreateContext(string connectionString) =>
        new(DatabaseSetup.Configure(new DbContextOptionsBuilder<DirectoryDbContext>(), connectionString).Options);

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
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class DatabaseCollection : ICollectionFixture<TestDatabase>
{
    public const string Name = "database";
}
