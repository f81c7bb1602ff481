using IopDirectory.Data;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IopDirectory.Tests.Search;

/// <summary>
/// The API's sessions prepare the statements they repeat (Data/DatabaseSetup.ApiSessions): every statement is planned
/// for its own values (custom plans), except the nearest-first page, which runs its generic plan (Search/NearestFirstPlan).
/// Read back from PostgreSQL's own view of the connection's prepared statements, on an API with a pool of one connection.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class PreparedStatementTests(TestDatabase database)
{
    private static readonly (double Latitude, double Longitude)[] Points =
        [(33.49, -111.93), (33.45, -112.07), (33.42, -111.83), (33.30, -111.84), (33.64, -112.00), (33.51, -112.27), (33.38, -111.96), (33.58, -111.70)];

    [Fact]
    public void Sessions_prepare_statements_and_plan_them_for_their_values_unless_the_connection_string_says_otherwise()
    {
        var api = new NpgsqlConnectionStringBuilder(DatabaseSetup.ApiSessions("Host=localhost;Database=iop"));
        Assert.Equal(DatabaseSetup.MaxAutoPrepare, api.MaxAutoPrepare);
        Assert.True(api.NoResetOnClose);
        Assert.Contains("-c plan_cache_mode=force_custom_plan", api.Options);
        Assert.Contains("-c jit=off", api.Options);

        var given = new NpgsqlConnectionStringBuilder(DatabaseSetup.ApiSessions("Host=localhost;Database=iop;Max Auto Prepare=0;Options=-c plan_cache_mode=auto"));
        Assert.Equal(0, given.MaxAutoPrepare);
        Assert.DoesNotContain("force_custom_plan", given.Options);
    }

    [Fact]
    public async Task The_nearest_first_page_runs_its_generic_plan_and_the_total_count_a_plan_for_its_values()
    {
        // A pool of one: every request of this API uses the same server session, whose prepared statements are read below.
        var connectionString = new NpgsqlConnectionStringBuilder(database.SharedConnectionString) { MaxPoolSize = 1, ApplicationName = "prepared-statement-test" }.ConnectionString;
        await using var api = new ApiFactory(connectionString);
        var pages = new List<string>();
        foreach (var point in Points)
            pages.Add(await SearchAsync(api, point));

        // Read on the API's own connection (the pool's only one), through its DbContext.
        using var scope = api.Services.CreateScope();
        var connection = (NpgsqlConnection)scope.ServiceProvider.GetRequiredService<DirectoryDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE NOT from_sql", connection);
        var prepared = new List<(string Sql, long Generic, long Custom)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                prepared.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        await connection.CloseAsync();

        var page = Assert.Single(prepared, p => p.Sql.StartsWith("-- " + IopDirectory.Search.NearestFirstPlan.Tag, StringComparison.Ordinal));
        Assert.True(page.Generic >= 1, $"the page ran its generic plan {page.Generic} times");
        Assert.Equal(0, page.Custom);

        var count = Assert.Single(prepared, p => p.Sql.Contains("count(*)", StringComparison.OrdinalIgnoreCase) && p.Sql.Contains("_ST_Expand", StringComparison.Ordinal));
        Assert.True(count.Custom >= 1, $"the count was planned for its values {count.Custom} times");
        Assert.Equal(0, count.Generic);

        // And the answers are the ones an API without prepared statements gives.
        var unprepared = new NpgsqlConnectionStringBuilder(database.SharedConnectionString) { MaxAutoPrepare = 0, ApplicationName = "unprepared-test" }.ConnectionString;
        await using var plain = new ApiFactory(unprepared);
        for (var i = 0; i < Points.Length; i++)
            Assert.Equal(await SearchAsync(plain, Points[i]), pages[i]);
    }

    /// <summary>A page of five with its total, as JSON text.</summary>
    private static async Task<string> SearchAsync(ApiFactory api, (double Latitude, double Longitude) point)
    {
        var body = await api.GraphQLAsync($$"""
            { searchCenters(near: {latitude: {{point.Latitude}}, longitude: {{point.Longitude}}}, radius: {value: 300, unit: MILES}, first: 5) {
                totalCount edges { distance { meters } node { id name } } } }
            """);
        Assert.Null(body["errors"]);
        Assert.NotEmpty(body["data"]!["searchCenters"]!["edges"]!.AsArray());
        return body["data"]!.ToJsonString();
    }
}
