using IopDirectory.Data;
using IopDirectory.Importing;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IopDirectory.Tests.Importing;

public static class ImportTestKit
{
    public static string Fixture(string name) => Path.Combine(Repository.Root, "tests", "IopDirectory.Tests", "Importing", "Fixtures", name);

    public static DbContextOptions<DirectoryDbContext> Options(string connectionString) =>
        DatabaseSetup.Configure(new DbContextOptionsBuilder<DirectoryDbContext>(), connectionString).Options;

    public static async Task<ImportReport> ImportAsync(string connectionString, string format, string path, ImportSettings? settings = null)
    {
        var report = new ImportReport($"import {format}", path);
        await ImportCommands.ImportAsync(format, path, Options(connectionString), report, settings ?? new ImportSettings(), toStandardError: false,
            CancellationToken.None);
        return report;
    }

    /// <summary>The report as the command prints it.</summary>
    public static string Text(ImportReport report)
    {
        using var writer = new StringWriter();
        report.WriteTo(writer);
        return writer.ToString();
    }

    /// <summary>A copy of the seeded template with every centre and route removed: an empty directory, migrated.</summary>
    public static async Task<string> EmptyCopyAsync(TestDatabase database)
    {
        var connectionString = await database.CreateCopyAsync();
        await ExecuteAsync(connectionString, "DELETE FROM call_routes; DELETE FROM centers; DELETE FROM audit_entries;");
        return connectionString;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every row and row version of every table an import writes, and the audit log's size: equal before and after means nothing was written.</summary>
    public static async Task<string> WriteStampAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT concat_ws(' ',
                (SELECT count(*) FROM audit_entries),
                (SELECT md5(coalesce(string_agg(id || ':' || xmin, ',' ORDER BY id), '')) FROM centers),
                (SELECT md5(coalesce(string_agg(id || ':' || xmin, ',' ORDER BY id), '')) FROM phones),
                (SELECT md5(coalesce(string_agg(id || ':' || xmin, ',' ORDER BY id), '')) FROM programs),
                (SELECT md5(coalesce(string_agg(id || ':' || xmin, ',' ORDER BY id), '')) FROM tracks),
                (SELECT md5(coalesce(string_agg(id || ':' || xmin, ',' ORDER BY id), '')) FROM track_sessions),
                (SELECT md5(coalesce(string_agg(id || ':' || xmin, ',' ORDER BY id), '')) FROM insurance_plans),
                (SELECT md5(coalesce(string_agg(id || ':' || xmin, ',' ORDER BY id), '')) FROM call_routes),
                (SELECT md5(coalesce(string_agg(id || ':' || xmin, ',' ORDER BY id), '')) FROM answer_hours))
            """, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
