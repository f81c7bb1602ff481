using System.Diagnostics;
using Npgsql;

namespace IopDirectory.Data;

/// <summary>
/// A private PostgreSQL cluster in a data folder, run with the machine's own PostgreSQL binaries
/// (initdb + pg_ctl). PostgreSQL refuses to run as root, so as root every command runs as `postgres`.
/// Used by `./run.sh` when no connection string is configured, and by the tests.
/// </summary>
public sealed class EmbeddedPostgres(string dataDirectory, int port)
{
    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);
    public int Port { get; } = port;

    private static bool IsRoot => Environment.UserName == "root";

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
        }.ConnectionString;

    /// <summary>Creates the cluster on first use, then starts it unless it already runs.</summary>
    public async Task StartAsync()
    {
        var bin = FindBinDirectory();
        var version = Path.GetFileName(Path.GetDirectoryName(bin));
        if (!File.Exists($"/usr/share/postgresql/{version}/extension/postgis.control"))
            throw new InvalidOperationException(
                "PostGIS is not installed for this PostgreSQL. Install it with: apt-get install -y postgresql-15-postgis-3 (run.sh and test.sh do).");

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            Directory.CreateDirectory(DataDirectory);
            if (IsRoot) await RunAsync("chown", ["-R", "postgres:postgres", DataDirectory], asPostgres: false);
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"]);
            await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"),
                """

                # written by IopDirectory's EmbeddedPostgres
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                max_connections = 200
                shared_buffers = 256MB
                """);
        }

        if ((await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDirectory, "status"], throwOnError: false)).ExitCode == 0)
            return;
        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(DataDirectory, "server.log"), "-o", $"-p {Port}", "start"]);
    }

    public async Task StopAsync(bool immediate = false)
    {
        var bin = FindBinDirectory();
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDirectory, "-w", "-m", immediate ? "immediate" : "fast", "stop"], throwOnError: false);
    }

    /// <summary>Creates the database if it does not exist yet.</summary>
    public async Task CreateDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "")}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// A server setting as the stopped cluster would run with it (<c>postgres -C NAME</c>), including values PostgreSQL
    /// computes at start such as <c>shared_memory_size_in_huge_pages</c>.
    /// </summary>
    public async Task<string> ServerSettingAsync(string name) =>
        (await RunAsync(Path.Combine(FindBinDirectory(), "postgres"), ["-D", DataDirectory, "-C", name])).Output.Trim();

    /// <summary>The newest /usr/lib/postgresql/N/bin, or $PG_BIN.</summary>
    public static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrEmpty(configured)) return configured;
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("No PostgreSQL server binaries found under /usr/lib/postgresql (apt-get install postgresql-15).");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, bool asPostgres = true, bool throwOnError = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres && IsRoot ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (asPostgres && IsRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (throwOnError && process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        return (process.ExitCode, await stdout);
    }
}
