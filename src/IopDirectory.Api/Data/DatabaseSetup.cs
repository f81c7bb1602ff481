using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.AspNetCore.Builder;

namespace IopDirectory.Data;

public static class DatabaseSetup
{
    public static DbContextOptionsBuilder<DirectoryDbContext> Configure(DbContextOptionsBuilder<DirectoryDbContext> options, string connectionString)
    {
        options.UseNpgsql(ApiSessions(connectionString), npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention();
        return options;
    }

    /// <summary>
    /// The API's session settings, each unless the connection string sets it:
    /// <list type="bullet">
    /// <item>JIT off: our statements are short, and compiling one (10 to 15 ms) costs more than running it.</item>
    /// <item>No reset when a connection goes back to the pool: the API never changes session state (settings come as
    /// startup options, and <see cref="Search.NearestFirstPlan"/>'s is transaction-local), so the DISCARD ALL Npgsql would
    /// send with every request's first statement is work for nothing (about 6% of search throughput at 1M centres).</item>
    /// <item>Prepared statements: a statement sent five times on a connection is prepared there (Npgsql's automatic
    /// preparation, up to <see cref="MaxAutoPrepare"/> statements a connection), so PostgreSQL parses it once. Plans stay
    /// custom (<c>plan_cache_mode=force_custom_plan</c>): each execution is planned for its own values, as before, because a
    /// generic plan is made without them (the page's expects one centre in any radius, a guess that would mislead the
    /// counts and facets over a large one). The nearest-first page alone takes its generic plan (<see cref="Search.NearestFirstPlan"/>): the same index walk whatever the
    /// values, and planning it was a fifth of PostgreSQL's time per search (0.5 ms of 2.2 at 1M centres).</item>
    /// </list>
    /// </summary>
    public static string ApiSessions(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var compact = connectionString.Replace(" ", "");
        if (builder.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) != true)
            builder.Options = ((builder.Options ?? "") + " -c jit=off").Trim();
        if (builder.Options?.Contains("plan_cache_mode", StringComparison.OrdinalIgnoreCase) != true)
            builder.Options = (builder.Options + " -c plan_cache_mode=force_custom_plan").Trim();
        if (!compact.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            builder.NoResetOnClose = true;
        if (!compact.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
            builder.MaxAutoPrepare = MaxAutoPrepare;
        return builder.ConnectionString;
    }

    /// <summary>Statements kept prepared per connection (the least recently used one is replaced): the API sends a few dozen shapes.</summary>
    public const int MaxAutoPrepare = 64;
}

public static class DatabaseServiceCollectionExtensions
{
    public const string DatabaseName = "iopdirectory";

    /// <summary>
    /// The DbContext on <c>ConnectionStrings:Directory</c>; when that is not set, on the embedded
    /// cluster in <c>Embedded:DataDirectory</c> (default .data/postgres), started here if needed.
    /// </summary>
    public static WebApplicationBuilder AddDirectoryDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Directory");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var embedded = new EmbeddedPostgres(
                builder.Configuration["Embedded:DataDirectory"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".data", "postgres"),
                builder.Configuration.GetValue("Embedded:Port", 54329));
            embedded.StartAsync().GetAwaiter().GetResult();
            embedded.CreateDatabaseAsync(DatabaseName).GetAwaiter().GetResult();
            connectionString = embedded.ConnectionString(DatabaseName);
            builder.Services.AddSingleton(embedded);
        }
        connectionString = Operations.ConnectionDefaults.Apply(connectionString,
            builder.Configuration.GetSection("Database").Get<Operations.DatabaseFaultOptions>() ?? new());

        builder.Services.AddSingleton<SqlStatementCounter>();
        // Pooled contexts on options built once: a new context per request parsed the connection string and made EF
        // resolve its internal services again, a fifth of what a search request allocated and a tenth of its CPU. The
        // context keeps no state between requests (DirectoryEditor sets Actor and clears it in a finally).
        builder.Services.AddDbContextPool<DirectoryDbContext>((services, options) =>
            DatabaseSetup.Configure((DbContextOptionsBuilder<DirectoryDbContext>)options, connectionString)
                .AddInterceptors(services.GetRequiredService<SqlStatementCounter>()));
        return builder;
    }
}
