using System.Globalization;
using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;
using Xunit.Abstractions;
using static IopDirectory.Tests.Search.SearchTestKit;

namespace IopDirectory.Tests.Search;

/// <summary>
/// Distances, nearest-N, radius and paging over the 14,034 real SAMHSA facilities, each checked
/// against a brute-force haversine over every facility.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class RealDataGeoTests(TestDatabase database, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Distances this close (relative) are ties: their order may follow the id instead.</summary>
    private const double TieTolerance = 1e-6;

    /// <summary>Facilities this close (relative) to a radius are neither required nor forbidden by the oracle.</summary>
    private const double BoundaryTolerance = 1e-9;

    private RealDataDatabase _data = null!;
    private ApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        _data = await RealDataDatabase.ForAsync(database);
        _api = SharedApi(_data.ConnectionString);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>~130 uniform points over the CONUS box, then fixed points in AK, HI, PR, Guam, American Samoa and at the antimeridian.</summary>
    private static List<(string Label, double Latitude, double Longitude)> QueryPoints()
    {
        var random = new Random(20261124);
        var points = new List<(string, double, double)>();
        for (var i = 0; i < 130; i++)
        {
            var latitude = 24.5 + random.NextDouble() * (49.4 - 24.5);
            var longitude = -124.8 + random.NextDouble() * (124.8 - 66.9);
            points.Add(($"conus-{i}", latitude, longitude));
        }
        points.AddRange(
        [
            ("anchorage", 61.2181, -149.9003), ("fairbanks", 64.8378, -147.7164), ("juneau", 58.3019, -134.4197),
            ("bethel", 60.7922, -161.7558), ("nome", 64.5011, -165.4064), ("st-george-island", 56.6, -169.55),
            ("honolulu", 21.3069, -157.8583), ("hilo", 19.7070, -155.0885), ("kauai", 22.0964, -159.5261),
            ("san-juan", 18.4655, -66.1057), ("mayaguez", 18.2013, -67.1397), ("ponce", 18.0111, -66.6141),
            ("guam", 13.4443, 144.7937), ("american-samoa", -14.3, -170.7),
            ("antimeridian-east", 51.9, 179.9), ("antimeridian-west", 52.0, -179.9),
            ("los-angeles", 34.0522, -118.2437), ("new-york", 40.7128, -74.0060), ("key-west", 24.5551, -81.7800),
            ("north-pole-ish", 71.29, -156.79),
        ]);
        return points;
    }

    private List<(Facility Facility, double Meters)> BruteForce(double latitude, double longitude, double withinMeters) =>
        _data.Facilities
            .Select(f => (Facility: f, Meters: Haversine(latitude, longitude, f.Latitude, f.Longitude)))
            .Where(x => x.Meters <= withinMeters)
            .OrderBy(x => x.Meters).ThenBy(x => x.Facility.CenterId)
            .ToList();

    [Fact]
    public void The_import_holds_every_facility_of_the_file_with_its_quoted_fields_intact()
    {
        var rows = RealDataDatabase.ReadCsv(RealDataDatabase.CsvPath);
        Assert.Equal(rows.Count - 1, _data.Facilities.Count);
        Assert.Equal(14_034, _data.Facilities.Count);
        // A quoted name with a comma stays one field, so the coordinates after it parse and stay in range.
        Assert.Contains(_data.Facilities, f => f.Name.Contains(','));
        Assert.All(_data.Facilities, f => Assert.InRange(f.Latitude, 17, 72));
        Assert.All(_data.Facilities, f => Assert.InRange(f.Longitude, -170, -65));
        var nameIndex = Array.IndexOf(rows[0], "name1");
        Assert.Equal(rows.Skip(1).Select(r => r[nameIndex]), _data.Facilities.OrderBy(f => f.Row).Select(f => f.Name));
        output.WriteLine($"imported {_data.Facilities.Count} facilities in {_data.ImportDuration.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Nearest_twenty_within_500_km_match_a_brute_force_haversine_in_order_and_distance()
    {
        var points = QueryPoints();
        double maxRelativeError = 0;
        var compared = 0;
        var pointsWithResults = 0;
        var bodies = await FetchAllAsync(points, p => _api.GraphQLAsync(
            "query($near: GeoPointInput!) { searchCenters(near: $near, radius: { value: 500, unit: KILOMETERS }, first: 20) { "
            + "totalCount edges { cursor distance { meters } node { id provenance { source sourceId } } } } }",
            new { near = new { latitude = p.Latitude, longitude = p.Longitude } }));
        foreach (var ((label, latitude, longitude), body) in points.Zip(bodies))
        {
            Assert.True(body["errors"] is null, $"{label}: {body.ToJsonString()}");
            var result = body["data"]!["searchCenters"]!;
            var edges = result["edges"]!.AsArray();

            var brute = BruteForce(latitude, longitude, 500_000 * (1 + BoundaryTolerance));
            var certain = brute.Count(x => x.Meters <= 500_000 * (1 - BoundaryTolerance));
            Assert.InRange((int)result["totalCount"]!, certain, brute.Count);
            Assert.InRange(edges.Count, Math.Min(20, certain), Math.Min(20, brute.Count));
            if (edges.Count > 0) pointsWithResults++;

            var hits = new List<Hit>();
            for (var i = 0; i < edges.Count; i++)
            {
                var edge = edges[i]!;
                var id = (string)edge["node"]!["id"]!;
                var provenance = edge["node"]!["provenance"]!;
                Assert.Equal(RealDataDatabase.Source, (string)provenance["source"]!);
                var facility = _data.ByRow[int.Parse((string)provenance["sourceId"]!, CultureInfo.InvariantCulture)];
                Assert.Equal(facility.CenterId, CenterKey(id));
                var meters = (double)edge["distance"]!["meters"]!;
                hits.Add(new Hit(id, facility.CenterId, meters, (string)edge["cursor"]!, edge["node"]!));

                // Same rank as the brute force: the very facility, or one at the same distance (a tie broken by id).
                var oracle = Haversine(latitude, longitude, facility.Latitude, facility.Longitude);
                var expected = brute[i];
                Assert.True(facility.CenterId == expected.Facility.CenterId || Math.Abs(oracle - expected.Meters) <= TieTolerance * expected.Meters,
                    $"{label} #{i}: API gave row {facility.Row} at {oracle:F3} m, brute force row {expected.Facility.Row} at {expected.Meters:F3} m");

                var error = oracle == 0 ? Math.Abs(meters) : Math.Abs(meters - oracle) / oracle;
                Assert.True(error < 0.005, $"{label} #{i}: API {meters} m, haversine {oracle} m");
                maxRelativeError = Math.Max(maxRelativeError, error);
                compared++;
            }
            AssertDistanceOrder(hits);
        }

        output.WriteLine($"nearest-20: {points.Count} query points ({pointsWithResults} with facilities within 500 km), "
            + $"{compared} distances compared, max relative error {maxRelativeError:E3}");
        Assert.True(pointsWithResults >= 100, $"only {pointsWithResults} points had facilities within 500 km: the comparison proves little");
        Assert.True(maxRelativeError < 0.001, $"max relative distance error {maxRelativeError}");
    }

    [Fact]
    public async Task A_radius_returns_exactly_the_facilities_a_brute_force_finds_across_every_page()
    {
        var random = new Random(7);
        var points = QueryPoints().Where((_, i) => i % 5 == 0 || i >= 130).ToList();
        var checkedFacilities = 0;
        double maxRelativeError = 0;
        var searches = points.Select(p => (p.Label, p.Latitude, p.Longitude, Kilometers: Math.Round(10 + random.NextDouble() * 140, 3))).ToList();
        // The radius is a literal: a JSON variable may reach the server an ulp off (see the boundary test).
        var walks = await FetchAllAsync(searches, s => WalkAsync(_api, ", $near: GeoPointInput!",
            $"near: $near, radius: {{ value: {s.Kilometers.ToString(CultureInfo.InvariantCulture)}, unit: KILOMETERS }}",
            new Dictionary<string, object?> { ["near"] = new { latitude = s.Latitude, longitude = s.Longitude } }, first: 100));
        foreach (var ((label, latitude, longitude, kilometers), walk) in searches.Zip(walks))
        {
            var radius = kilometers * 1000;
            Assert.Equal(radius, (double)walk.FirstPage["radius"]!["meters"]!, tolerance: 1e-6);

            var outer = BruteForce(latitude, longitude, radius * (1 + BoundaryTolerance));
            var required = outer.Where(x => x.Meters <= radius * (1 - BoundaryTolerance)).Select(x => x.Facility.CenterId).ToHashSet();
            var allowed = outer.Select(x => x.Facility.CenterId).ToHashSet();
            var actual = walk.Hits.Select(h => h.CenterId).ToHashSet();

            Assert.True(required.IsSubsetOf(actual), $"{label} r={kilometers} km: missing rows "
                + string.Join(", ", required.Except(actual).Take(10).Select(id => _data.ByCenterId[id].Row)));
            Assert.True(actual.IsSubsetOf(allowed), $"{label} r={kilometers} km: rows beyond the radius "
                + string.Join(", ", actual.Except(allowed).Take(10).Select(id => _data.ByCenterId[id].Row)));
            Assert.Equal(walk.Hits.Count, walk.TotalCount);
            Assert.All(walk.Hits, h => Assert.True(h.Meters <= radius, $"{label}: {h.Meters} m reported inside a {radius} m radius"));
            AssertDistanceOrder(walk.Hits);
            foreach (var hit in walk.Hits)
            {
                var f = _data.ByCenterId[hit.CenterId];
                var oracle = Haversine(latitude, longitude, f.Latitude, f.Longitude);
                if (oracle > 0) maxRelativeError = Math.Max(maxRelativeError, Math.Abs(hit.Meters!.Value - oracle) / oracle);
            }
            checkedFacilities += actual.Count;
        }
        output.WriteLine($"radius: {points.Count} points, {checkedFacilities} facilities found and checked, max relative error {maxRelativeError:E3}");
        Assert.True(checkedFacilities > 1_000, $"only {checkedFacilities} facilities fell inside the radii tested");
        Assert.True(maxRelativeError < 0.001);
    }

    [Fact]
    public async Task A_radius_equal_to_a_facility_distance_includes_it_and_a_hair_less_excludes_it()
    {
        var origins = new (string Label, double Latitude, double Longitude)[]
        {
            ("los-angeles", 34.0522, -118.2437), ("chicago", 41.8781, -87.6298), ("tampa", 27.97, -82.41),
            ("boston-north", 42.6, -71.2), ("denver", 39.7392, -104.9903), ("anchorage", 61.2181, -149.9003), ("san-juan", 18.4655, -66.1057),
        };
        var random = new Random(11);
        var tested = 0;
        var variableDrift = 0;
        foreach (var (label, latitude, longitude) in origins)
        {
            var near = new { latitude, longitude };
            var all = await WalkAsync(_api, ", $near: GeoPointInput!", "near: $near, radius: { value: 100, unit: KILOMETERS }",
                new Dictionary<string, object?> { ["near"] = near }, first: 100, maxPages: 1_000);
            Assert.True(all.Hits.Count >= 5, $"{label}: too few facilities within 100 km to test a boundary");
            foreach (var index in new[] { 0, random.Next(1, Math.Min(all.Hits.Count, 60)), Math.Min(all.Hits.Count, 60) - 1 }.Distinct())
            {
                var target = all.Hits[index];
                Assert.True(target.Meters > 0, $"{label}: a facility sits on the origin; move the origin");
                var meters = target.Meters!.Value;

                // The smallest kilometre value whose metres are at least the facility's distance...
                var atLeast = meters / 1000;
                while (atLeast * 1000 < meters) atLeast = Math.BitIncrement(atLeast);
                while (Math.BitDecrement(atLeast) * 1000 >= meters) atLeast = Math.BitDecrement(atLeast);
                // ...and the largest whose metres fall short of it.
                var below = atLeast;
                while (below * 1000 >= meters) below = Math.BitDecrement(below);

                foreach (var (km, includes) in new[] { (atLeast, true), (below, false) })
                {
                    // As a literal the value arrives exactly: the radius applied is km * 1000 to the last bit.
                    var literal = km.ToString("R", CultureInfo.InvariantCulture);
                    var walk = await WalkAsync(_api, ", $near: GeoPointInput!", $"near: $near, radius: {{ value: {literal}, unit: KILOMETERS }}",
                        new Dictionary<string, object?> { ["near"] = near }, first: 100);
                    var applied = (double)walk.FirstPage["radius"]!["meters"]!;
                    Assert.True(km * 1000 == applied, $"{label}: radius {literal} km was applied as {applied:R} m, not {km * 1000:R} m");
                    Assert.True(includes == applied >= meters, $"{label}: radius {applied:R} m against the facility's {meters:R} m");
                    Assert.Equal(all.Hits.Where(h => h.Meters <= applied).Select(h => h.Id), walk.Hits.Select(h => h.Id));
                    Assert.Equal(includes, walk.Hits.Any(h => h.Id == target.Id));

                    // As a JSON variable it may arrive a bit off (GraphQL.NET reads JSON numbers as decimal first); whatever
                    // radius is applied, the search is exact about it.
                    var viaVariable = await WalkAsync(_api, ", $near: GeoPointInput!, $radius: DistanceInput", "near: $near, radius: $radius",
                        new Dictionary<string, object?> { ["near"] = near, ["radius"] = new { value = km, unit = "KILOMETERS" } }, first: 100);
                    var appliedViaVariable = (double)viaVariable.FirstPage["radius"]!["meters"]!;
                    Assert.True(Math.Abs(appliedViaVariable - applied) <= 1e-12 * applied, $"{appliedViaVariable:R} m vs {applied:R} m");
                    if (appliedViaVariable != applied) variableDrift++;
                    Assert.Equal(all.Hits.Where(h => h.Meters <= appliedViaVariable).Select(h => h.Id), viaVariable.Hits.Select(h => h.Id));
                    tested++;
                }
            }
        }
        output.WriteLine($"radius boundary: {tested} radii on a facility's exact distance or just short of it; "
            + $"{variableDrift} of them applied differently when sent as a JSON variable");
    }

    [Fact]
    public async Task A_radius_in_miles_on_a_facility_distance_includes_it()
    {
        var near = new { latitude = 40.7128, longitude = -74.0060 };
        var all = await WalkAsync(_api, ", $near: GeoPointInput!", "near: $near, radius: { value: 20, unit: MILES }",
            new Dictionary<string, object?> { ["near"] = near }, first: 100);
        var target = all.Hits[all.Hits.Count / 2];
        var miles = target.Meters!.Value / MetersPerMile;
        while (miles * MetersPerMile < target.Meters) miles = Math.BitIncrement(miles);

        var walk = await WalkAsync(_api, ", $near: GeoPointInput!", $"near: $near, radius: {{ value: {miles.ToString("R", CultureInfo.InvariantCulture)} }}",
            new Dictionary<string, object?> { ["near"] = near }, first: 100);
        var applied = (double)walk.FirstPage["radius"]!["meters"]!;
        Assert.True(applied >= target.Meters, $"{miles} miles became {applied} m, short of {target.Meters} m");
        Assert.Equal(all.Hits.Where(h => h.Meters <= applied).Select(h => h.Id), walk.Hits.Select(h => h.Id));
        Assert.Contains(walk.Hits, h => h.Id == target.Id);
    }

    [Fact]
    public async Task Paging_seven_at_a_time_through_100_km_around_Los_Angeles_never_repeats_or_skips()
    {
        const double latitude = 34.0522, longitude = -118.2437, radius = 100_000;
        var walk = await WalkAsync(_api, ", $near: GeoPointInput!", "near: $near, radius: { value: 100, unit: KILOMETERS }",
            new Dictionary<string, object?> { ["near"] = new { latitude, longitude } }, first: 7);

        var outer = BruteForce(latitude, longitude, radius * (1 + BoundaryTolerance));
        var required = outer.Where(x => x.Meters <= radius * (1 - BoundaryTolerance)).Select(x => x.Facility.CenterId).ToHashSet();
        var actual = walk.Hits.Select(h => h.CenterId).ToList();

        Assert.True(required.Count > 300, $"only {required.Count} facilities: not a large result");
        Assert.Equal(actual.Count, actual.Distinct().Count());
        Assert.True(required.IsSubsetOf(actual), "skipped: " + string.Join(", ", required.Except(actual).Take(10)));
        Assert.True(actual.ToHashSet().IsSubsetOf(outer.Select(x => x.Facility.CenterId)), "beyond the radius: "
            + string.Join(", ", actual.Except(outer.Select(x => x.Facility.CenterId)).Take(10)));
        Assert.Equal(walk.TotalCount, actual.Count);
        AssertDistanceOrder(walk.Hits);
        // The real data has facilities sharing coordinates: ties do occur and are ordered by id.
        var ties = walk.Hits.Zip(walk.Hits.Skip(1)).Count(p => p.First.Meters == p.Second.Meters);
        output.WriteLine($"Los Angeles 100 km: {actual.Count} facilities in {walk.Pages} pages of 7, {ties} exact ties");
        Assert.True(ties > 0, "no exact ties: the tie-break was not exercised");
    }

    /// <summary>Viewports holding every facility of a state (and the neighbours inside its box): fewer than 2,000 distinct points each.</summary>
    private List<(string State, double South, double West, double North, double East)> StateBoxes() =>
        new[] { "NY", "MA", "NJ", "FL", "CA", "HI" }.Select(state =>
        {
            var f = _data.Facilities.Where(x => x.State == state).ToList();
            return (state, f.Min(x => x.Latitude), f.Min(x => x.Longitude), f.Max(x => x.Latitude), f.Max(x => x.Longitude));
        }).ToList();

    private async Task<JsonArray> ClustersAsync(double south, double west, double north, double east, int zoom)
    {
        var body = await _api.GraphQLAsync(
            "query($box: BoundingBoxInput!, $zoom: Int!) { clusters(boundingBox: $box, zoom: $zoom) { count latitude longitude bounds centerId } }",
            new { box = new { south, west, north, east }, zoom });
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!["clusters"]!.AsArray();
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(22)]
    public async Task Clusters_over_real_data_count_every_facility_in_the_viewport_once(int zoom)
    {
        var total = 0;
        foreach (var (state, south, west, north, east) in StateBoxes())
        {
            var inBox = _data.Facilities.Where(f => f.Latitude >= south && f.Latitude <= north && f.Longitude >= west && f.Longitude <= east).ToList();
            var clusters = await ClustersAsync(south, west, north, east, zoom);
            Assert.True(inBox.Count == clusters.Sum(c => (int)c!["count"]!), $"{state} zoom {zoom}: {inBox.Count} facilities, clusters count {clusters.Sum(c => (int)c!["count"]!)}");
            // The grid is cells of a quarter tile, floor(lon / cell) x floor(lat / cell): rebuild it here.
            var size = 360.0 / Math.Pow(2, zoom) / 4;
            var cells = inBox.GroupBy(f => (Math.Floor(f.Longitude / size), Math.Floor(f.Latitude / size))).ToDictionary(g => g.Key, g => g.ToList());
            Assert.True(cells.Count == clusters.Count, $"{state} zoom {zoom}: {cells.Count} occupied cells, {clusters.Count} clusters");
            foreach (var cluster in clusters)
            {
                var bounds = cluster!["bounds"]!.AsArray().Select(v => (double)v!).ToArray(); // west, south, east, north
                var (lat, lon) = ((double)cluster["latitude"]!, (double)cluster["longitude"]!);
                var members = cells[(Math.Floor(bounds[0] / size), Math.Floor(bounds[1] / size))];
                Assert.Equal(members.Count, (int)cluster["count"]!);
                Assert.Equal([members.Min(f => f.Longitude), members.Min(f => f.Latitude), members.Max(f => f.Longitude), members.Max(f => f.Latitude)], bounds);
                Assert.Equal(members.Average(f => f.Latitude), lat, tolerance: 1e-9);
                Assert.Equal(members.Average(f => f.Longitude), lon, tolerance: 1e-9);
                const double ulps = 1e-9; // the mean of equal values may come out an ulp off; see the skipped test below
                Assert.True(bounds[0] - ulps <= lon && lon <= bounds[2] + ulps && bounds[1] - ulps <= lat && lat <= bounds[3] + ulps,
                    $"{state} zoom {zoom}: cluster at ({lat:R}, {lon:R}) outside its bounds [{string.Join(", ", bounds.Select(b => b.ToString("R", CultureInfo.InvariantCulture)))}]");
                if (members.Count == 1) Assert.Equal(members[0].CenterId, CenterKey((string)cluster["centerId"]!));
                else Assert.Null(cluster["centerId"]);
            }
            total += inBox.Count;
        }
        output.WriteLine($"clusters at zoom {zoom}: {total} facilities in {StateBoxes().Count} viewports");
    }

    [Fact]
    public async Task A_cluster_of_facilities_sharing_one_point_is_located_exactly_there()
    {
        var wrong = new List<string>();
        var shared = 0;
        foreach (var (state, south, west, north, east) in StateBoxes())
        {
            foreach (var cluster in await ClustersAsync(south, west, north, east, 22))
            {
                var bounds = cluster!["bounds"]!.AsArray().Select(v => (double)v!).ToArray();
                if ((int)cluster["count"]! < 2 || bounds[0] != bounds[2] || bounds[1] != bounds[3]) continue;
                shared++;
                var (lat, lon) = ((double)cluster["latitude"]!, (double)cluster["longitude"]!);
                if (lat != bounds[1] || lon != bounds[0])
                    wrong.Add($"{state}: {(int)cluster["count"]!} facilities at ({bounds[1]:R}, {bounds[0]:R}) clustered at ({lat:R}, {lon:R})");
            }
        }
        Assert.True(shared > 50, $"only {shared} shared points");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {shared} clusters of one point are placed off it:\n" + string.Join("\n", wrong.Take(20)));
    }
}
