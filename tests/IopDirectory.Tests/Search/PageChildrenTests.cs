using System.Text;
using System.Text.Json.Nodes;
using GraphQL.Types;
using IopDirectory.Data;
using IopDirectory.Search;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IopDirectory.Tests.Search.SearchTestKit;

namespace IopDirectory.Tests.Search;

/// <summary>
/// A search page brings its centres' phones, programs (tracks, sessions) and numbers in its own statement
/// (Search/PageChildren.cs). The children must be exactly what the batch loaders give, and the page one statement.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class PageChildrenTests(TestDatabase database)
{
    /// <summary>
    /// Every field the schema has under phones, programs, displayedNumbers and sponsorship (read from the schema, so a
    /// field added later is compared too), down to scalars; a type already on the path is not entered again.
    /// </summary>
    private static string ChildrenSelection(ISchema schema)
    {
        var center = (IComplexGraphType)schema.AllTypes["Center"]!;
        var sb = new StringBuilder();
        foreach (var name in new[] { "phones", "programs", "displayedNumbers", "sponsorship" })
        {
            var field = center.GetField(name)!;
            sb.Append(name).Append(' ').Append(Selection(field.ResolvedType!, ["Center"])).Append(' ');
        }
        return sb.ToString();
    }

    private static string Selection(IGraphType type, HashSet<string> path)
    {
        while (type is IProvideResolvedType wrapper) type = wrapper.ResolvedType!;
        if (type is not IComplexGraphType complex) return "";
        var fields = complex.Fields
            .Where(f => f.Arguments is null || f.Arguments.All(a => a.ResolvedType is not NonNullGraphType || a.DefaultValue is not null))
            .Select(f => (f.Name, Type: Unwrap(f.ResolvedType!)))
            .Where(f => f.Type is not IComplexGraphType || !path.Contains(f.Type.Name))
            .Select(f => f.Type is IComplexGraphType inner ? $"{f.Name} {Selection(inner, [.. path, complex.Name])}" : f.Name);
        return "{ " + string.Join(" ", fields) + " }";
    }

    private static IGraphType Unwrap(IGraphType type)
    {
        while (type is IProvideResolvedType wrapper) type = wrapper.ResolvedType!;
        return type;
    }

    [Fact]
    public async Task Children_read_with_the_page_equal_what_the_loaders_read()
    {
        var api = SharedApi(database.SharedConnectionString);
        var children = ChildrenSelection(api.Services.GetRequiredService<ISchema>());
        Assert.Contains("sessions { ", children);
        Assert.Contains("hours { ", children);

        // Around each of several centres, a 300-mile page: the seeded sample's clusters, their edges and the empty middle.
        var points = new[] { (33.49, -111.93), (40.71, -74.0), (34.05, -118.24), (41.88, -87.63), (29.76, -95.37), (47.61, -122.33), (39.1, -94.58) };
        var pages = 0;
        var compared = new List<JsonNode>();
        foreach (var (lat, lng) in points)
        {
            var search = await api.GraphQLAsync($$"""
                query($lat: Float!, $lng: Float!) {
                  searchCenters(near: {latitude: $lat, longitude: $lng}, radius: {value: 300, unit: MILES}, first: 50) {
                    edges { node { id {{children}} } }
                  }
                }
                """, new { lat, lng });
            Assert.Null(search["errors"]);
            var nodes = search["data"]!["searchCenters"]!["edges"]!.AsArray().Select(e => e!["node"]!).ToList();
            if (nodes.Count == 0) continue;
            pages++;

            // The same centres through center(id), where every child comes from the batch loaders.
            var aliases = string.Join("\n", nodes.Select((n, i) => $"c{i}: center(id: \"{n["id"]}\") {{ id {children} }}"));
            var direct = await api.GraphQLAsync($"{{ {aliases} }}");
            Assert.Null(direct["errors"]);
            for (var i = 0; i < nodes.Count; i++)
            {
                Assert.Equal(direct["data"]![$"c{i}"]!.ToJsonString(), nodes[i].ToJsonString());
                compared.Add(nodes[i]);
            }
        }

        // The comparison covered real children, not empty lists.
        Assert.True(pages >= 3, $"only {pages} pages had results");
        Assert.Contains(compared, n => n["phones"]!.AsArray().Count > 1);
        Assert.Contains(compared, n => n["programs"]!.AsArray().Any(p => p!["tracks"]!.AsArray().Any(t => t!["sessions"]!.AsArray().Count > 1)));
        Assert.Contains(compared, n => n["displayedNumbers"]!.AsArray().Any(d => d!["hours"]!.AsArray().Count > 0));
        Assert.Contains(compared, n => n["sponsorship"] is JsonObject);
    }

    /// <summary>
    /// The page reads only the phone, program and track columns the selection needs: each field of Phone, IopProgram,
    /// Track and WeeklySession alone (from the schema, so a new field is tried too) must still resolve as the loaders resolve it.
    /// </summary>
    [Fact]
    public async Task Each_phone_program_and_track_field_alone_equals_what_the_loaders_read()
    {
        var api = SharedApi(database.SharedConnectionString);
        var schema = api.Services.GetRequiredService<ISchema>();
        string Leaf(string type, string field) =>
            Selection(((IComplexGraphType)schema.AllTypes[type]!).GetField(field)!.ResolvedType!, []) is { Length: > 0 } sub ? $"{field} {sub}" : field;
        var selections = ((IComplexGraphType)schema.AllTypes["IopProgram"]!).Fields.Where(f => f.Name != "tracks")
            .Select(f => $"programs {{ {Leaf("IopProgram", f.Name)} }}")
            .Concat(((IComplexGraphType)schema.AllTypes["Track"]!).Fields.Select(f => $"programs {{ tracks {{ {Leaf("Track", f.Name)} }} }}"))
            .Concat(((IComplexGraphType)schema.AllTypes["Phone"]!).Fields.Select(f => $"phones {{ {f.Name} }}"))
            .ToList();
        Assert.True(selections.Count >= 18, $"only {selections.Count} fields found");

        foreach (var selection in selections)
            await PageEqualsCenterByIdAsync(api, selection);
    }

    /// <summary>A page of centres around Scottsdale with the selection, compared centre by centre with <c>center(id)</c>; returns the page's nodes.</summary>
    internal static async Task<List<JsonNode>> PageEqualsCenterByIdAsync(ApiFactory api, string selection)
    {
        var search = await api.GraphQLAsync($$"""
            { searchCenters(near: {latitude: 33.49, longitude: -111.93}, radius: {value: 300, unit: MILES}, first: 12) { edges { node { id {{selection}} } } } }
            """);
        Assert.True(search["errors"] is null, $"{selection}: {search["errors"]?.ToJsonString()}");
        var nodes = search["data"]!["searchCenters"]!["edges"]!.AsArray().Select(e => e!["node"]!).ToList();
        Assert.True(nodes.Count > 5);
        var aliases = string.Join("\n", nodes.Select((n, i) => $"c{i}: center(id: \"{n["id"]}\") {{ id {selection} }}"));
        var direct = await api.GraphQLAsync($"{{ {aliases} }}");
        for (var i = 0; i < nodes.Count; i++)
            Assert.True(direct["data"]![$"c{i}"]!.ToJsonString() == nodes[i].ToJsonString(),
                $"{selection}: the page gave {nodes[i].ToJsonString()}, center(id) {direct["data"]![$"c{i}"]!.ToJsonString()}");
        return nodes;
    }

    /// <summary>
    /// The page reads only the centre columns the selection needs (Search/PageRows; the rest keep a new hit's values): each field of
    /// Center alone (from the schema, so a new field is tried too) must resolve as <c>center(id)</c>, which reads whole rows.
    /// </summary>
    [Fact]
    public async Task Each_center_field_alone_equals_what_center_by_id_reads()
    {
        // A copy of the database, where some centres were edited (the sample has no updatedAt).
        var connectionString = await database.CreateCopyAsync();
        await using (var db = TestDatabase.CreateContext(connectionString))
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE centers SET updated_at = now() - id * interval '1 hour', verification_source = 'phone call to intake' WHERE id % 3 = 0");
        await using var api = new ApiFactory(connectionString);
        var center = (IComplexGraphType)api.Services.GetRequiredService<ISchema>().AllTypes["Center"]!;
        var fields = center.Fields.Select(f => Selection(f.ResolvedType!, ["Center"]) is { Length: > 0 } sub ? $"{f.Name} {sub}" : f.Name).ToList();
        Assert.True(fields.Count >= 25, $"only {fields.Count} fields found");

        var defaults = new HashSet<string> { "null", "\"\"", "[]", "false", "0", "\"0\"" };
        var alwaysDefault = new List<string>();
        foreach (var field in fields)
        {
            var nodes = await PageEqualsCenterByIdAsync(api, field);
            var name = field.Split(' ')[0];
            alwaysDefault.AddRange(Leaves(name, nodes.Select(n => n[name]).ToList())
                .Where(leaf => leaf.Values.All(v => defaults.Contains(v?.ToJsonString() ?? "null"))).Select(leaf => leaf.Path));
        }
        // An unread column leaves a type's default: a value is only proven when some centre holds something else.
        Assert.Empty(alwaysDefault);
    }

    /// <summary>The values at each path through objects (a list is one value), across the nodes.</summary>
    private static IEnumerable<(string Path, List<JsonNode?> Values)> Leaves(string path, List<JsonNode?> values)
    {
        if (values.FirstOrDefault(v => v is not null) is not JsonObject sample)
        {
            yield return (path, values);
            yield break;
        }
        foreach (var key in sample.Select(p => p.Key))
            foreach (var leaf in Leaves($"{path}.{key}", values.Select(v => (v as JsonObject)?[key]).ToList()))
                yield return leaf;
    }

    /// <summary>The connection's geoJson reads the page's centres too: it must see their real places, names and cities.</summary>
    [Fact]
    public async Task GeoJson_of_a_lean_page_holds_the_centres_real_data()
    {
        var api = SharedApi(database.SharedConnectionString);
        var page = await api.GraphQLAsync($$"""{ {{Around}} { geoJson edges { node { id } } } }""");
        Assert.Null(page["errors"]);
        var features = page["data"]!["searchCenters"]!["geoJson"]!["features"]!.AsArray();
        Assert.True(features.Count > 5);
        foreach (var feature in features)
        {
            var direct = await api.GraphQLAsync($$"""
                { center(id: "{{feature!["id"]}}") { name latitude longitude acceptingNewPatients address { city state } } }
                """);
            var c = direct["data"]!["center"]!;
            var properties = feature["properties"]!;
            Assert.Equal(c["name"]!.GetValue<string>(), properties["name"]!.GetValue<string>());
            Assert.Equal(c["address"]!["city"]!.GetValue<string>(), properties["city"]!.GetValue<string>());
            Assert.Equal(c["address"]!["state"]!.GetValue<string>(), properties["state"]!.GetValue<string>());
            Assert.Equal(c["acceptingNewPatients"]!.GetValue<bool>(), properties["acceptingNewPatients"]!.GetValue<bool>());
            Assert.Equal($"[{c["longitude"]!.ToJsonString()},{c["latitude"]!.ToJsonString()}]", feature["geometry"]!["coordinates"]!.ToJsonString());
        }
    }

    [Fact]
    public void The_page_reads_only_the_centre_columns_of_the_fields_asked_for()
    {
        using var db = TestDatabase.CreateContext(database.SharedConnectionString);
        var model = db.Model;
        var card = PageRows.For(model, new HashSet<string> { "id", "name", "phones", "programs" });
        Assert.Equal("c.id, c.name", card.SelectList);
        Assert.Equal(2, card.Count);

        var map = PageRows.For(model, new HashSet<string> { "id", "name", "address", "latitude" });
        Assert.Equal(new HashSet<string> { "c.id", "c.name", "c.location", "c.street1", "c.street2", "c.city", "c.state", "c.postal_code", "c.county" },
            map.SelectList.Split(", ").ToHashSet());

        // A field the map does not know (a new one) reads every column, like no selection at all.
        var unknown = PageRows.For(model, new HashSet<string> { "id", "someNewField" });
        Assert.Same(PageRows.For(model, null), unknown);
        Assert.Contains("c.service_area", unknown.SelectList);
        Assert.Contains("c.xmin", unknown.SelectList);
        Assert.Contains("c.street1", unknown.SelectList);
    }

    [Fact]
    public void A_card_brings_bare_numbers_and_kinds_and_objects_when_more_is_read()
    {
        using var db = TestDatabase.CreateContext(database.SharedConnectionString);
        // The results card: a phone's number and a track's kind alone come as bare values, not one object each.
        var card = PageChildrenSql.Columns(db.Model, new PageChildren(new HashSet<string> { "number" }, new HashSet<string> { "name", "tracks" },
            new HashSet<string> { "kind" }, CallRoutes: false));
        Assert.Contains("json_agg(p.number ORDER BY", card.Phones);
        Assert.Contains("json_agg(t.kind ORDER BY", card.Programs);
        Assert.Contains("json_build_object('name', pr.name, 'tracks',", card.Programs);

        // One more field of either, and rows are objects again.
        var more = PageChildrenSql.Columns(db.Model, new PageChildren(new HashSet<string> { "number", "kind" }, new HashSet<string> { "name", "tracks" },
            new HashSet<string> { "kind", "sessions" }, CallRoutes: false));
        Assert.Contains("json_agg(json_build_object('kind', p.kind, 'number', p.number) ORDER BY", more.Phones);
        Assert.Contains("json_agg(json_build_object('kind', t.kind, 'sessions',", more.Programs);
    }

    /// <summary>A program's or phone's lean columns never leak to another field of the same request that reads the same rows in full.</summary>
    [Fact]
    public async Task Lean_programs_and_phones_of_a_page_do_not_reach_other_fields_of_the_request()
    {
        var api = SharedApi(database.SharedConnectionString);
        var page = await api.GraphQLAsync($$"""{ {{Around}} { edges { node { id } } } }""");
        var id = page["data"]!["searchCenters"]!["edges"]![0]!["node"]!["id"]!.GetValue<string>();
        var full = "phones { kind number extension } programs { name description hoursPerWeek { min max } services { code } tracks { kind sessions { weekday startsAt } } }";
        var alone = await api.GraphQLAsync($$"""{ center(id: "{{id}}") { {{full}} } }""");
        var both = await api.GraphQLAsync($$"""
            { {{Around}} { edges { node { id phones { number } programs { name tracks { kind } } } } }
              center(id: "{{id}}") { {{full}} } }
            """);
        Assert.Null(both["errors"]);
        Assert.Equal(alone["data"]!["center"]!.ToJsonString(), both["data"]!["center"]!.ToJsonString());
        Assert.Contains("sessions", alone["data"]!["center"]!.ToJsonString());
        Assert.Contains("\"kind\":\"MAIN\"", alone["data"]!["center"]!.ToJsonString());
    }

    private static async Task<long> StatementsAsync(ApiFactory api, string query)
    {
        var counter = api.Services.GetRequiredService<SqlStatementCounter>();
        var before = counter.Count;
        var body = await api.GraphQLAsync(query);
        Assert.Null(body["errors"]);
        Assert.True(body["data"]!["searchCenters"]!["edges"]!.AsArray().Count > 1, "the page should hold several centres");
        return counter.Count - before;
    }

    private const string Around = "searchCenters(near: {latitude: 33.49, longitude: -111.93}, radius: {value: 300, unit: MILES}, first: 20)";

    [Fact]
    public async Task A_page_with_phones_programs_and_numbers_is_one_statement()
    {
        await using var api = new ApiFactory(database.SharedConnectionString);
        await api.GraphQLAsync("{ __typename }");

        Assert.Equal(1, await StatementsAsync(api, $$"""
            { {{Around}} { edges { distance { miles } node { id name
                phones { number } programs { name tracks { kind sessions { weekday startsAt } } }
                displayedNumbers { number hours { weekday } } sponsorship { label } } } } }
            """));

        // Through a named fragment, an inline fragment and `nodes`, the same.
        Assert.Equal(1, await StatementsAsync(api, $$"""
            query { {{Around}} { edges { node { ...Card } } nodes { ... on Center { displayedNumbers { number } } } } }
            fragment Card on Center { id phones { number } programs { tracks { kind } } }
            """));

        // Insurance plans are not brought along: one more statement, from their loader.
        Assert.Equal(2, await StatementsAsync(api, $$"""
            { {{Around}} { edges { node { id phones { number } payment { insurancePlans { carrierName } } } } } }
            """));
    }

    private sealed record Named(string Name);

    [Fact]
    public async Task Page_json_keeps_each_row_in_place_as_utf8_however_long_the_page()
    {
        // Rows as the page statement returns them: text columns, NULL for a centre without; one long enough to outgrow the
        // first buffer, and names outside ASCII (copied as the bytes PostgreSQL sent, parsed as UTF-8).
        var longName = new string('x', 20_000);
        await using var connection = new Npgsql.NpgsqlConnection(database.SharedConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($$"""
            SELECT * FROM (VALUES (1, '[{"name":"Niños y Familias"}]'::text), (2, NULL), (3, '[]'),
                                  (4, '[{"name":"{{longName}}"},{"name":"Ōhana 🌺"}]')) AS r(n, json)
            ORDER BY n
            """, connection);
        using var page = new PageJson();
        var present = new List<bool>();
        await using (var rows = await command.ExecuteReaderAsync())
            while (await rows.ReadAsync()) present.Add(page.Add(rows, 1));

        var read = page.Read<Named[]>(new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower })!;
        Assert.Equal([true, false, true, true], present);
        Assert.Equal(4, read.Length);
        Assert.Equal("Niños y Familias", Assert.Single(read[0]!).Name);
        Assert.Null(read[1]);
        Assert.Empty(read[2]!);
        Assert.Equal([longName, "Ōhana 🌺"], read[3]!.Select(p => p.Name));

        // A page where no row has the column reads as nothing at all.
        using var none = new PageJson();
        await using (var rows = await new Npgsql.NpgsqlCommand("SELECT NULL::text FROM generate_series(1, 3)", connection).ExecuteReaderAsync())
            while (await rows.ReadAsync()) Assert.False(none.Add(rows, 0));
        Assert.Null(none.Read<Named[]>(System.Text.Json.JsonSerializerOptions.Default));
    }
}
