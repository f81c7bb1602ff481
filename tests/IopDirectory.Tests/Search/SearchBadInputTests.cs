using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;
using Npgsql;

namespace IopDirectory.Tests.Search;

/// <summary>
/// Bad search input is answered with HTTP 200 and a BAD_USER_INPUT error naming the argument:
/// never a 500, never a database error, never SQL text, never a partial result.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class SearchBadInputTests(TestDatabase database) : IAsyncLifetime
{
    private const string Selection = "{ totalCount edges { cursor node { id } } }";

    private ApiFactory _api = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _api = SearchTestKit.SharedApi(database.SharedConnectionString);
        _client = _api.CreateClient();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(HttpStatusCode Status, string Text, JsonNode Body)> PostAsync(string query, object? variables = null)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/graphql", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text, JsonNode.Parse(text)!);
    }

    /// <summary>Nothing of the database or the server's internals shows in the answer (beyond what the request itself said).</summary>
    private static void AssertNoInternals(string text, string request)
    {
        foreach (var leak in new[] { "SELECT ", " FROM centers", "WHERE ", "ST_DWithin", "ST_Intersects", "ST_MakeEnvelope", "center_answers_at",
                     "Npgsql", "PostgresException", "SQLSTATE", "Exception", "   at ", "stackTrace", "INTERNAL_SERVER_ERROR" })
            if (!request.Contains(leak, StringComparison.OrdinalIgnoreCase))
                Assert.False(text.Contains(leak, StringComparison.OrdinalIgnoreCase), $"the response shows '{leak}': {text}");
    }

    private async Task AssertRejectedAsync(string query, string argument, object? variables = null, string field = "searchCenters")
    {
        var (status, text, body) = await PostAsync(query, variables);
        Assert.True(status == HttpStatusCode.OK, $"HTTP {(int)status}: {text}");
        var errors = body["errors"]?.AsArray();
        Assert.True(errors is { Count: > 0 }, $"no error: {text}");
        var error = errors[0]!;
        Assert.Equal("BAD_USER_INPUT", (string?)error["extensions"]?["code"]);
        Assert.Equal(argument, (string?)error["extensions"]?["argument"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
        Assert.Equal(field, (string?)error["path"]?[0]);
        Assert.Null(body["data"]?[field]); // no partial result
        AssertNoInternals(text, query + JsonSerializer.Serialize(variables));
    }

    private Task AssertSearchRejectedAsync(string arguments, string argument) =>
        AssertRejectedAsync($"{{ searchCenters({arguments}) {Selection} }}", argument);

    [Theory]
    [InlineData("near: { latitude: 91, longitude: 0 }", "near.latitude")]
    [InlineData("near: { latitude: -91, longitude: 0 }", "near.latitude")]
    [InlineData("near: { latitude: 90.0000001, longitude: 0 }", "near.latitude")]
    [InlineData("near: { latitude: 0, longitude: 181 }", "near.longitude")]
    [InlineData("near: { latitude: 0, longitude: -180.5 }", "near.longitude")]
    [InlineData("servesLocation: { latitude: 95, longitude: 0 }", "servesLocation.latitude")]
    [InlineData("near: { latitude: 33.5, longitude: -111.9 }, radius: { value: -1 }", "radius")]
    [InlineData("near: { latitude: 33.5, longitude: -111.9 }, radius: { value: 0 }", "radius")]
    [InlineData("near: { latitude: 33.5, longitude: -111.9 }, radius: { value: 501, unit: KILOMETERS }", "radius")]
    [InlineData("near: { latitude: 33.5, longitude: -111.9 }, radius: { value: 310.8, unit: MILES }", "radius")]
    [InlineData("near: { latitude: 33.5, longitude: -111.9 }, radius: { value: 1e308 }", "radius")]
    [InlineData("near: { latitude: 33.5, longitude: -111.9 }, radius: { value: 1e308, unit: KILOMETERS }", "radius")]
    [InlineData("radius: { value: 10 }", "radius")]
    [InlineData("nearZip: \"8525\"", "nearZip")]
    [InlineData("nearZip: \"85251x\"", "nearZip")]
    [InlineData("nearZip: \"'; DROP TABLE centers; --\"", "nearZip")]
    [InlineData("nearZip: \"\"", "nearZip")]
    [InlineData("nearZip: \"00000\"", "nearZip")]
    [InlineData("nearCity: { city: \"Atlantis\", state: \"AZ\" }", "nearCity.city")]
    [InlineData("nearCity: { city: \"Scottsdale\", state: \"ZZ\" }", "nearCity.state")]
    [InlineData("near: { latitude: 33.5, longitude: -111.9 }, nearZip: \"85251\"", "near")]
    [InlineData("boundingBox: { south: 40, west: -112, north: 30, east: -100 }", "boundingBox.south")]
    [InlineData("boundingBox: { south: 30, west: -200, north: 40, east: -100 }", "boundingBox.west")]
    [InlineData("first: 10000", "first")]
    [InlineData("first: -1", "first")]
    [InlineData("after: \"not-a-cursor\"", "after")]
    [InlineData("after: \"\"", "after")]
    [InlineData("nearZip: \"85251\", after: \"eyJPcmRlciI6MCwiSWQiOjF9\"", "after")] // {"Order":0,"Id":1}: a distance cursor without a distance
    [InlineData("nearZip: \"85251\", after: \"eyJPcmRlciI6MCwiSWQiOjEsIk1ldGVycyI6MWU0MDB9\"", "after")] // {"Order":0,"Id":1,"Meters":1e400}
    [InlineData("orderBy: NAME, after: \"eyJPcmRlciI6MSwiSWQiOjF9\"", "after")] // {"Order":1,"Id":1}: a name cursor without a name
    [InlineData("orderBy: DISTANCE", "orderBy")]
    [InlineData("filter: { schedule: { startsAtOrAfter: \"25:99\" } }", "filter.schedule.startsAtOrAfter")]
    [InlineData("filter: { schedule: { endsAtOrBefore: \"5pm\" } }", "filter.schedule.endsAtOrBefore")]
    [InlineData("filter: { age: 500 }", "filter.age")]
    [InlineData("filter: { age: -1 }", "filter.age")]
    [InlineData("filter: { carriers: [\"NOPE\"] }", "filter.carriers")]
    [InlineData("filter: { services: [\"ASTROLOGY\"] }", "filter.services")]
    [InlineData("filter: { languages: [\"klingon\"] }", "filter.languages")]
    [InlineData("filter: { verifiedWithinDays: 0 }", "filter.verifiedWithinDays")]
    public Task A_bad_search_argument_is_rejected_naming_it(string arguments, string argument) => AssertSearchRejectedAsync(arguments, argument);

    [Theory]
    [InlineData(99, "zoom")]
    [InlineData(-1, "zoom")]
    public Task A_bad_cluster_zoom_is_rejected(int zoom, string argument) =>
        AssertRejectedAsync($"{{ clusters(boundingBox: {{ south: 30, west: -120, north: 40, east: -100 }}, zoom: {zoom}) {{ count }} }}", argument, field: "clusters");

    [Fact]
    public Task A_cluster_box_with_south_above_north_is_rejected() =>
        AssertRejectedAsync("{ clusters(boundingBox: { south: 40, west: -120, north: 30, east: -100 }, zoom: 3) { count } }", "boundingBox.south", field: "clusters");

    [Fact]
    public async Task The_sql_injection_zip_changes_nothing()
    {
        await AssertSearchRejectedAsync("nearZip: \"85251'; DELETE FROM centers; --\"", "nearZip");
        await using var connection = new NpgsqlConnection(database.SharedConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM centers", connection);
        Assert.True((long)(await count.ExecuteScalarAsync())! > 0);
    }

    private static readonly Dictionary<string, object> BadAreas = new()
    {
        ["bow-tie"] = new { type = "Polygon", coordinates = new double[][][] { [[-112.0, 33.0], [-111.0, 34.0], [-111.0, 33.0], [-112.0, 34.0], [-112.0, 33.0]] } },
        ["point"] = new { type = "Point", coordinates = new[] { -111.9, 33.5 } },
        ["unclosed ring"] = new { type = "Polygon", coordinates = new double[][][] { [[-112.0, 33.0], [-111.0, 33.0], [-111.0, 34.0], [-112.0, 34.0]] } },
        ["two-point ring"] = new { type = "Polygon", coordinates = new double[][][] { [[-112.0, 33.0], [-112.0, 33.0]] } },
        ["latitude out of range"] = new { type = "Polygon", coordinates = new double[][][] { [[-112.0, 33.0], [-111.0, 33.0], [-111.0, 95.0], [-112.0, 33.0]] } },
        ["not geojson"] = new { hello = "world" },
        ["a string"] = "POLYGON((0 0, 1 0, 1 1, 0 0))",
        // A closed ring of 10,001 vertices written short ([0,0],[1,1],...), so the request stays under the body limit.
        ["10,001 vertices"] = new { type = "Polygon", coordinates = new[] { Enumerable.Range(0, 10_001).Select(i => new[] { (double)(i % 2), (double)(i % 2) }).ToArray() } },
    };

    [Theory]
    [InlineData("bow-tie")]
    [InlineData("point")]
    [InlineData("unclosed ring")]
    [InlineData("two-point ring")]
    [InlineData("latitude out of range")]
    [InlineData("not geojson")]
    [InlineData("a string")]
    [InlineData("10,001 vertices")]
    public Task A_bad_area_is_rejected(string label) =>
        AssertRejectedAsync($"query($area: GeoJSON) {{ searchCenters(area: $area) {Selection} }}", "area", new { area = BadAreas[label] });

    [Fact]
    public async Task A_polygon_of_100000_vertices_is_refused_whole_before_anything_runs()
    {
        var ring = Enumerable.Range(0, 100_000).Select(i => new[] { -111.0 - (i % 2) * 0.5, 33.0 + i / 100_000.0 }).ToList();
        ring.Add(ring[0]);
        var (status, text, body) = await PostAsync("query($area: GeoJSON) { searchCenters(area: $area) { totalCount } }",
            new { area = new { type = "Polygon", coordinates = new[] { ring.ToArray() } } });
        AssertNoInternals(text, "");
        Assert.Null(body["data"]?["searchCenters"]);
        var code = (string?)body["errors"]?[0]?["extensions"]?["code"];
        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            Assert.Equal("PAYLOAD_TOO_LARGE", code);
            Assert.Null(body["data"]); // refused before execution
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("BAD_USER_INPUT", code);
            Assert.Equal("area", (string?)body["errors"]![0]!["extensions"]!["argument"]);
        }
    }

    [Fact]
    public async Task A_distance_cursor_is_refused_by_a_name_ordered_search()
    {
        var page = await _api.GraphQLAsync("{ searchCenters(nearZip: \"85251\", radius: { value: 100 }, first: 2) { pageInfo { endCursor } edges { node { id } } } }");
        var cursor = (string)page["data"]!["searchCenters"]!["pageInfo"]!["endCursor"]!;
        // The cursor works for the search it came from...
        var next = await _api.GraphQLAsync("query($after: String) { searchCenters(nearZip: \"85251\", radius: { value: 100 }, first: 2, after: $after) { edges { node { id } } } }",
            new { after = cursor });
        Assert.Null(next["errors"]);
        Assert.NotEmpty(next["data"]!["searchCenters"]!["edges"]!.AsArray());
        // ...and not for another order.
        await AssertRejectedAsync("query($after: String) { searchCenters(nearZip: \"85251\", radius: { value: 100 }, orderBy: NAME, first: 2, after: $after) { totalCount } }",
            "after", new { after = cursor });
        await AssertRejectedAsync("query($after: String) { searchCenters(orderBy: RECENTLY_VERIFIED, after: $after) { totalCount } }",
            "after", new { after = cursor });
    }

    [Fact]
    public async Task The_largest_radius_and_page_are_accepted()
    {
        // The limits themselves are valid: 500 km, 310.68 miles, first: 100, zoom 22, latitude 90.
        foreach (var arguments in new[]
                 {
                     "near: { latitude: 33.5, longitude: -111.9 }, radius: { value: 500, unit: KILOMETERS }, first: 100",
                     "near: { latitude: 33.5, longitude: -111.9 }, radius: { value: 310.68 }",
                     "near: { latitude: 90, longitude: 180 }",
                     "near: { latitude: -90, longitude: -180 }",
                 })
        {
            var body = await _api.GraphQLAsync($"{{ searchCenters({arguments}) {{ totalCount }} }}");
            Assert.True(body["errors"] is null, $"{arguments}: {body.ToJsonString()}");
        }
        var clusters = await _api.GraphQLAsync("{ clusters(boundingBox: { south: -90, west: -180, north: 90, east: 180 }, zoom: 22) { count } }");
        Assert.Null(clusters["errors"]);
        Assert.True(clusters["data"]!["clusters"]!.AsArray().Sum(c => (int)c!["count"]!) > 0);
    }
}
