using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.AspNetCore.Builder;

namespace IopDirectory.Data;

public static class DatabaseSetup
{
    public static DbContextOptionsBuilder<DirectoryDbContext> Configure(DbContextOptionsBuilder<DirectoryDbContext> options, string connectionString)
    {
        options.UseNpgsql(connectionString, npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention();
        return options;
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

        builder.Services.AddSingleton<SqlStatementCounter>();
        builder.Services.AddDbContext<DirectoryDbContext>((services, options) =>
            DatabaseSetup.Configure((DbContextOptionsBuilder<DirectoryDbContext>)options, connectionString)
                .AddInterceptors(services.GetRequiredService<SqlStatementCounter>()));
        return builder;
    }
}
