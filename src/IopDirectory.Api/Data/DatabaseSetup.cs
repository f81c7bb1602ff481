using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.AspNetCore.Builder;

namespace IopDirectory.Data;

public static class DatabaseSetup
{
    public static DbContextOptionsBuilder<DirectoryDbContext> Configure(DbContextOptionsBuilder<DirectoryDbContext> options, string connectionString)
    {
        options.UseNpgsql(WithoutJit(connectionString), npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(Search.NearestFirstPlan.Instance);
        return options;
    }

    /// <summary>
    /// Turns PostgreSQL's JIT off for the API's sessions, unless the connection string sets it: our
    /// statements are short, and compiling one (10 to 15 ms) costs more than running it.
    /// </summary>
    public static string WithoutJit(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) != true)
            builder.Options = ((builder.Options ?? "") + " -c jit=off").Trim();
        return builder.ConnectionString;
    }
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
        builder.Services.AddDbContext<DirectoryDbContext>((services, options) =>
            DatabaseSetup.Configure((DbContextOptionsBuilder<DirectoryDbContext>)options, connectionString)
                .AddInterceptors(services.GetRequiredService<SqlStatementCounter>()));
        return builder;
    }
}
