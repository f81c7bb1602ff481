using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using IopDirectory.Tests.Callbacks;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Operations;

/// <summary>
/// Hostile input, at volume: at least 10,000 generated requests (property-based with CsCheck, seeded so a failure
/// replays) plus a corpus of malformed requests. No answer may be a 5xx or carry a stack trace, an exception
/// type, SQL or a database message; afterwards the service answers a normal query exactly as before.
/// </summary>
[Collection(DatabaseCollection.Name)]
[Trait("Category", "Slow")]
public sealed class FuzzTests(TestDatabase database)
{
    public const int Requests = 10_000;

    /// <summary>Strings that show a leak when they come back, unless the request itself carried them.</summary>
    private static readonly string[] LeakMarkers =
    [
        "Exception", "   at ", "System.", "Microsoft.", "Npgsql", "GraphQL.Execution", "IopDirectory.", "SQLSTATE", "syntax error at or near",
        "relation \"", "column \"", "ST_DWithin", "ST_Intersects", "postgis", "42P01", "42601", "22P02", "--- End of",
    ];

    private static readonly string[] Hostile =
    [
        "'; DROP TABLE centers; --", "' OR '1'='1", "1; SELECT pg_sleep(10)", "\" OR 1=1 --", "$1", "'::geography", "); DELETE FROM callback_requests; --",
        "\\", "\\\"", "%s%s%s%n", "${jndi:ldap://127.0.0.1/a}", "<script>alert(1)</script>", "{{7*7}}", "../../etc/passwd",
        "\u0000", "\u0000abc", "\uFEFF", "\u202Eevil", "\u200D\u200D", "e\u0301\u0301\u0301", "😀👨‍👩‍👧‍👦", "\uD83D", "\uDE00", "Ω≈ç√∫", "𝕳𝖊𝖑𝖑𝖔",
        "NaN", "Infinity", "-Infinity", "-0", "1e309", "99999999999999999999999", "-2147483649", "0x7fffffff", "",
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[0,1],[1,1],[0,0]]], \"crs\": {\"type\":\"name\",\"properties\":{\"name\":\"EPSG:1\"}}}",
        "POINT(0 0)'); DROP TABLE centers; --", "SRID=4326;POLYGON((0 0,0 1,1 1,0 0))",
    ];

    private static readonly Lazy<(string Query, string? Variables)[]> Examples = new(() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "schema", "examples"), "*.graphql").Order()
            .Select(path => (File.ReadAllText(path), Path.ChangeExtension(path, ".variables.json") is var v && File.Exists(v) ? File.ReadAllText(v) : null))
            .ToArray());

    /// <summary>Operations whose arguments come from variables, so hostile values reach the resolvers and the SQL.</summary>
    private static readonly string[] Templates =
    [
        "query($near: GeoPointInput, $radius: DistanceInput, $first: Int, $after: String) { searchCenters(near: $near, radius: $radius, first: $first, after: $after) { totalCount edges { cursor distance { meters } node { id name } } } }",
        "query($zip: String) { searchCenters(nearZip: $zip, first: 3) { nodes { name } facets { services { value count } } } }",
        "query($city: CityInput) { searchCenters(nearCity: $city, first: 3) { nodes { name } } }",
        "query($box: BoundingBoxInput, $zoom: Int!) { clusters(boundingBox: $box, zoom: $zoom) { count } searchCenters(boundingBox: $box, first: 2) { geoJson } }",
        "query($area: GeoJSON) { searchCenters(area: $area, first: 3) { nodes { id } } }",
        "query($where: GeoPointInput) { searchCenters(servesLocation: $where, first: 3) { nodes { id } } }",
        "query($id: ID!) { center(id: $id) { name } node(id: $id) { id } }",
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        "query($first: Int, $after: String, $filter: CenterFilter) { centers(first: $first, after: $after, filter: $filter) { totalCount nodes { name } } }",
        "mutation($input: RequestCallbackInput!) { requestCallback(input: $input) { callbackRequest { id } userErrors { code } } }",
        "query($number: String!, $at: DateTimeOffset) { routeCall(number: $number, at: $at) { rule } }",
    ];

    private sealed record FuzzRequest(string Method, string Body, string ContentType, string? Accept)
    {
        public override string ToString() => $"{Method} {ContentType} {Accept}: {(Body.Length > 300 ? Body[..300] + "..." : Body)}";
    }

    private static Gen<string> HostileString =>
        Gen.Frequency(
            (4, Gen.OneOf(Hostile)),
            (3, Gen.String[Gen.Char[(char)0, (char)0x2FF], 0, 40]),
            (1, Gen.Int[1_000, 120_000].Select(n => new string('x', n))),
            (2, Gen.OneOf("85004", "AZ", "Phoenix", "Q2VudGVyOjE", "+14805550199", "2026-11-25T10:00:00Z", "EVENING", "MILES")));

    /// <summary>Any JSON value, small and nested, often hostile.</summary>
    private static Gen<JsonNode?> Value(int depth) =>
        depth <= 0
            ? Gen.Frequency(
                (3, HostileString.Select(s => (JsonNode?)JsonValue.Create(s))),
                (2, Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(0))),
                (2, Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i))),
                (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
                (1, Gen.Const((JsonNode?)null)))
            : Gen.Frequency(
                (4, Value(0)),
                (1, Value(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))),
                (2, Gen.Select(Gen.OneOf("latitude", "longitude", "value", "unit", "south", "west", "north", "east", "city", "state", "type",
                        "coordinates", "name", "phone", "zip", "consent", "preferredFrom", "preferredUntil", "services", "tracks", "x"), Value(depth - 1)).Array[0, 5]
                    .Select(pairs =>
                    {
                        var o = new JsonObject();
                        foreach ((string k, JsonNode? v) in pairs) o[k] = v?.DeepClone();
                        return (JsonNode?)o;
                    })));

    private static Gen<string> VariableName => Gen.OneOf("near", "radius", "first", "after", "zip", "city", "box", "zoom", "area", "where", "id", "ids",
        "filter", "input", "number", "at");

    private static Gen<FuzzRequest> Templated =>
        Gen.Select(Gen.OneOf(Templates), Gen.Select(VariableName, Value(3)).Array[0, 6])
            .Select((query, vars) =>
            {
                var variables = new JsonObject();
                foreach ((string k, JsonNode? v) in vars) variables[k] = v?.DeepClone();
                return Json(new JsonObject { ["query"] = query, ["variables"] = variables });
            });

    /// <summary>A schema example with a few characters changed, or a literal replaced by a hostile one.</summary>
    private static Gen<FuzzRequest> MutatedExample =>
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 10_000], HostileString, Gen.Int[0, 3])
            .Select((pick, at, hostile, how) =>
            {
                var (query, variables) = Examples.Value[pick % Examples.Value.Length];
                var i = at % Math.Max(1, query.Length);
                query = how switch
                {
                    0 => query.Remove(i, Math.Min(3, query.Length - i)),
                    1 => query.Insert(i, hostile.Length > 200 ? hostile[..200] : hostile),
                    2 => System.Text.RegularExpressions.Regex.Replace(query, "\"[^\"]*\"", JsonSerializer.Serialize(hostile)),
                    _ => query,
                };
                var body = new JsonObject { ["query"] = query };
                if (variables is not null)
                    body["variables"] = how == 3 ? new JsonObject { ["id"] = hostile, ["ids"] = new JsonArray(hostile, 1, null) } : JsonNode.Parse(variables);
                return Json(body);
            });

    private static Gen<FuzzRequest> Raw =>
        Gen.Frequency(
            (2, Gen.String[Gen.Char[(char)0, (char)0x7F], 0, 200].Select(s => new FuzzRequest("POST", s, "application/json", null))),
            (2, HostileString.Select(s => new FuzzRequest("POST", "{\"query\": " + JsonSerializer.Serialize(s) + "}", "application/json", null))),
            (1, Gen.Select(Value(2), Value(2), Value(2)).Select((q, v, o) =>
                new FuzzRequest("POST", new JsonObject { ["query"] = q?.DeepClone(), ["variables"] = v?.DeepClone(), ["operationName"] = o?.DeepClone() }.ToJsonString(), "application/json", null))),
            (1, Gen.Select(HostileString, Gen.OneOf("text/plain", "application/json; charset=latin1", "application/graphql", "multipart/form-data", "", "application/json"),
                    Gen.OneOf<string?>(null, "application/json", "text/html", "*/*", "application/xml", "application/graphql-response+json;q=0"))
                .Select((q, type, accept) => new FuzzRequest("POST", "{\"query\":" + JsonSerializer.Serialize("{ __typename " + q + " }") + "}", type, accept))),
            (1, Gen.Select(HostileString, HostileString).Select((q, v) =>
                new FuzzRequest("GET", "?query=" + Uri.EscapeDataString(q) + "&variables=" + Uri.EscapeDataString(v), "", null))),
            (1, Gen.Int[1, 6_000].Select(n => new FuzzRequest("POST", "{\"query\":\"" + new string('{', n) + "\"}", "application/json", null))),
            (1, Gen.Int[1, 6_000].Select(n => new FuzzRequest("POST", "{\"query\":\"{ __typename }\",\"variables\":{\"a\":" + new string('[', n) + new string(']', n) + "}}", "application/json", null))),
            (1, Gen.Int[1, 3_000].Select(n => new FuzzRequest("POST", "{\"query\":\"" + string.Concat(Enumerable.Repeat("{ centers { nodes ", n)) + "\"}", "application/json", null))));

    private static FuzzRequest Json(JsonNode body) => new("POST", body.ToJsonString(), "application/json", null);

    private static Gen<FuzzRequest> Any => Gen.Frequency((3, Templated), (3, MutatedExample), (3, Raw));

    private static async Task<(int Status, string Text)> SendAsync(HttpClient client, FuzzRequest request)
    {
        using var message = request.Method == "GET"
            ? new HttpRequestMessage(HttpMethod.Get, "/graphql" + request.Body)
            : new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body)) };
        if (message.Content is not null && request.ContentType.Length > 0 && MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            message.Content.Headers.ContentType = type;
        if (request.Accept is not null) message.Headers.TryAddWithoutValidation("Accept", request.Accept);
        using var response = await client.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static void AssertClean(FuzzRequest request, int status, string text)
    {
        Assert.True(status < 500, $"{status} for {request}:\n{text}");
        foreach (var marker in LeakMarkers)
            if (!request.Body.Contains(marker, StringComparison.Ordinal))
                Assert.False(text.Contains(marker, StringComparison.Ordinal), $"'{marker}' leaked for {request}:\n{text}");
    }

    /// <summary>Hand-written cases the generators may not hit: invalid UTF-8, truncations, wrong shapes.</summary>
    public static TheoryData<string> Corpus() =>
    [
        "", " ", "null", "[]", "[null]", "{}", "{\"query\":null}", "{\"query\":5}", "{\"query\":[\"{ __typename }\"]}", "{\"query\":{}}",
        "{\"query\":\"{ __typename }\",\"variables\":\"{}\"}", "{\"query\":\"{ __typename }\",\"variables\":[1]}", "{\"query\":\"{ __typename }\",\"extensions\":5}",
        "{\"query\":\"{ __typename }\",\"operationName\":5}", "{\"query\":\"{ __typename }\"", "{\"query\":\"{ __typename }\"}}", "{\"query\":\"\\ud800\"}",
        "{\"query\":\"{ center(id: \\\"Q2VudGVyOjE'; DROP TABLE centers; --\\\") { name } }\"}",
        "{\"query\":\"{ searchCenters(nearZip: \\\"85004' OR '1'='1\\\") { totalCount } }\"}",
        "{\"query\":\"{ searchCenters(area: {type: \\\"Polygon\\\", coordinates: [[[0,0],[0,1]]]}) { totalCount } }\"}",
        "{\"query\":\"{ searchCenters(area: \\\"POLYGON((0 0,0 1,1 1,0 0))\\\") { totalCount } }\"}",
        "{\"query\":\"{ searchCenters(near: {latitude: 1e308, longitude: -1e308}, radius: {value: 1e308}) { totalCount } }\"}",
        "{\"query\":\"{ searchCenters(near: {latitude: 33.4, longitude: -112}, radius: {value: -1}) { totalCount } }\"}",
        "{\"query\":\"{ clusters(boundingBox: {south: 90, west: 180, north: -90, east: -180}, zoom: 2147483647) { count } }\"}",
        "{\"query\":\"{ centers(first: 2147483647) { totalCount } }\"}", "{\"query\":\"{ centers(first: -2147483648) { totalCount } }\"}",
        "{\"query\":\"{ centers(after: \\\"\\u0000\\\") { totalCount } }\"}",
        "{\"query\":\"query Q($a: Int) { centers(first: $a) { totalCount } }\",\"variables\":{\"a\":\"5; DROP TABLE centers\"}}",
        "{\"query\":\"query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }\"}",
        "{\"query\":\"subscription { x }\"}", "{\"query\":\"mutation { __typename }\"}", "{\"query\":\"{ __schema { types { name } } }\",\"operationName\":\"Nope\"}",
        "{\"query\":\"query A { __typename } query A { __typename }\"}", "{\"query\":\"{ __typename @skip(if: \\\"yes\\\") }\"}",
    ];

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Malformed_requests_get_a_clean_client_error(string body)
    {
        await using var api = new OperationsApi(database.SharedConnectionString);
        using var client = api.CreateClient();
        var request = new FuzzRequest("POST", body, "application/json", null);
        var (status, text) = await SendAsync(client, request);
        AssertClean(request, status, text);
        Assert.True(status is >= 200 and < 500, $"{status}: {text}");
    }

    [Fact]
    public async Task Invalid_utf8_and_binary_bodies_get_400()
    {
        await using var api = new OperationsApi(database.SharedConnectionString);
        using var client = api.CreateClient();
        foreach (var bytes in new byte[][] { [0xC3, 0x28], [0xFF, 0xFE, 0x7B, 0x00], [0x7B, 0x22, 0x71, 0x22, 0x3A, 0xED, 0xA0, 0x80, 0x7D], new byte[5000] })
        {
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync("/graphql", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            AssertClean(new FuzzRequest("POST", "", "application/json", null), (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Ten_thousand_generated_requests_get_no_5xx_and_leak_nothing()
    {
        // A copy: the generated requests include writes (requestCallback).
        await using var api = new OperationsApi(await database.CreateCopyAsync());
        using var client = api.CreateClient();
        const string Normal = "{ centers(first: 3, filter: { state: \"AZ\" }) { totalCount nodes { id name } } }";
        var (_, before, beforeText) = await api.PostAsync(client, Normal);
        Assert.Null(before["errors"]);

        var sent = 0;
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        await Any.SampleAsync(async request =>
        {
            var (status, text) = await SendAsync(client, request);
            Interlocked.Increment(ref sent);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            AssertClean(request, status, text);
        }, iter: Requests, print: r => r.ToString());

        Assert.True(sent >= Requests, $"only {sent} requests were sent");
        // The mix reached execution, not only the request parser.
        Assert.True(statuses.GetValueOrDefault(200) > Requests / 10, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(statuses.GetValueOrDefault(400) > Requests / 10, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));

        var (after, afterBody, afterText) = await api.PostAsync(client, Normal);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(beforeText, afterText);
        Assert.NotNull(afterBody["data"]);
        Caller.AssertNoSecrets(string.Join("\n", api.Logs.Entries), "the logs");
    }
}
