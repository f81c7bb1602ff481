using System.Globalization;
using System.Text.Json.Nodes;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Distance;
using NodaTime;
using static IopDirectory.Tests.Search.SearchTestKit;

namespace IopDirectory.Tests.Search;

/// <summary>
/// searchCenters and clusters on the seeded sample: every answer compared with a brute-force oracle
/// over the centres loaded with EF (or over rows a test inserted into its own copy).
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class SearchBehaviourTests(TestDatabase database) : IAsyncLifetime
{
    private static readonly GeometryFactory Geometry = new(new PrecisionModel(), 4326);

    private ApiFactory _api = null!;
    private List<Center> _all = [];

    /// <summary>The seeded centres with everything the oracles read, loaded once per run (the shared copy never changes).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<List<Center>>>> Seeded = new();

    public async Task InitializeAsync()
    {
        _api = SharedApi(database.SharedConnectionString);
        _all = await Seeded.GetOrAdd(database.SharedConnectionString, key => new Lazy<Task<List<Center>>>(() => LoadAsync(key))).Value;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<List<Center>> LoadAsync(string connectionString)
    {
        await using var db = TestDatabase.CreateContext(connectionString);
        return await db.Centers.AsNoTracking().AsSplitQuery()
            .Include(c => c.Programs).ThenInclude(p => p.Tracks).ThenInclude(t => t.Sessions)
            .Include(c => c.InsurancePlans)
            .Include(c => c.CallRoutes).ThenInclude(r => r.Hours)
            .ToListAsync();
    }

    private static Center NewCenter(string name, double latitude, double longitude, string sourceId, DateTimeOffset? verified = null,
        string state = "KS", string zip = "67601", string timeZone = "America/Chicago") => new()
    {
        Name = name,
        Address = new Address { Street1 = "1 Test Way", City = "Testville", State = state, PostalCode = zip },
        Location = new Point(longitude, latitude) { SRID = 4326 },
        TimeZone = timeZone,
        Source = "search-test",
        SourceId = sourceId,
        LastVerifiedAt = verified,
        LevelsOfCare = [LevelOfCare.IntensiveOutpatient],
    };

    private static HashSet<int> Ids(IEnumerable<Center> centers) => centers.Select(c => c.Id).ToHashSet();

    /// <summary>The expected set must be a real subset: neither empty nor everything.</summary>
    private static void AssertSameSet(IEnumerable<Center> expected, IEnumerable<Hit> actual, int universe, string because)
    {
        var expectedIds = expected.Select(c => c.Id).Order().ToList();
        Assert.True(expectedIds.Count > 0, $"{because}: the oracle matches nothing, which proves nothing");
        Assert.True(expectedIds.Count < universe, $"{because}: the oracle matches everything, which proves nothing");
        Assert.Equal(expectedIds, actual.Select(h => h.CenterId).Order().ToList());
    }

    private Task<Walk> FilterAsync(object filter, int first = 100) =>
        WalkAsync(_api, ", $filter: CenterFilter", "filter: $filter", new Dictionary<string, object?> { ["filter"] = filter }, first);

    private static bool InBox(Center c, double south, double west, double north, double east) =>
        c.Latitude >= south && c.Latitude <= north && (west <= east ? c.Longitude >= west && c.Longitude <= east : c.Longitude >= west || c.Longitude <= east);

    private static IEnumerable<string> ServiceCodes(Center c) => c.Programs.SelectMany(p => p.ServiceCodes);

    private static bool HasTrack(Center c, TrackKind kind) => c.Programs.Any(p => p.Tracks.Any(t => t.Kind == kind));

    // ---------------------------------------------------------------- ties and ordering

    [Fact]
    public async Task Thirty_centres_at_one_point_page_four_at_a_time_in_id_order_under_every_ordering()
    {
        var connectionString = await database.CreateCopyAsync();
        var verified = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var later = verified.AddDays(30);
        await using (var db = TestDatabase.CreateContext(connectionString))
        {
            for (var i = 0; i < 30; i++)
                db.Centers.Add(NewCenter("Same Point Recovery", 39.0, -99.0, $"tie-{i}", i % 3 == 0 ? null : i % 3 == 1 ? verified : later));
            await db.SaveChangesAsync();
        }
        var inserted = (await LoadAsync(connectionString)).Where(c => c.Source == "search-test").OrderBy(c => c.Id).ToList();
        Assert.Equal(30, inserted.Count);
        await using var api = new ApiFactory(connectionString);

        // Distance: all thirty at exactly the same distance from a point 1.1 km away.
        var byDistance = await WalkAsync(api, ", $near: GeoPointInput!", "near: $near, radius: { value: 5, unit: KILOMETERS }",
            new Dictionary<string, object?> { ["near"] = new { latitude = 39.01, longitude = -99.0 } }, first: 4);
        Assert.Equal(inserted.Select(c => c.Id), byDistance.Hits.Select(h => h.CenterId));
        Assert.Single(byDistance.Hits.Select(h => h.Meters).Distinct());
        Assert.InRange(byDistance.Hits[0].Meters!.Value, 1_000, 1_200);
        Assert.Equal(8, byDistance.Pages);

        // Name: one name for all thirty.
        var box = new Dictionary<string, object?> { ["box"] = new { south = 38.9, west = -99.1, north = 39.1, east = -98.9 } };
        var byName = await WalkAsync(api, ", $box: BoundingBoxInput", "boundingBox: $box, orderBy: NAME", box, first: 4);
        Assert.Equal(inserted.Select(c => c.Id), byName.Hits.Select(h => h.CenterId));

        // Recently verified: the later ten, then the earlier ten, then the ten never verified, each by id.
        var byVerified = await WalkAsync(api, ", $box: BoundingBoxInput", "boundingBox: $box, orderBy: RECENTLY_VERIFIED", box, first: 4);
        var expected = inserted.OrderBy(c => c.LastVerifiedAt is null).ThenByDescending(c => c.LastVerifiedAt).ThenBy(c => c.Id).Select(c => c.Id);
        Assert.Equal(expected, byVerified.Hits.Select(h => h.CenterId));
    }

    [Theory]
    [InlineData("NAME", 7)]
    [InlineData("RECENTLY_VERIFIED", 7)]
    [InlineData("NAME", 3)]
    public async Task Ordering_pages_through_every_centre_once_in_order(string orderBy, int first)
    {
        var walk = await WalkAsync(_api, "", $"orderBy: {orderBy}", new Dictionary<string, object?>(), first, "name lastVerifiedAt");
        // NAME sorts in the database's byte order (C collation): ordinal comparison, ties by id.
        var expected = orderBy == "NAME"
            ? _all.OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Id)
            : _all.OrderBy(c => c.LastVerifiedAt is null).ThenByDescending(c => c.LastVerifiedAt).ThenBy(c => c.Id);
        Assert.Equal(expected.Select(c => c.Id), walk.Hits.Select(h => h.CenterId));
        Assert.Equal(_all.Count, walk.TotalCount);
        Assert.All(walk.Hits, h => Assert.Null(h.Meters)); // no point, no distance
        for (var i = 1; i < walk.Hits.Count && orderBy == "NAME"; i++)
            Assert.True(string.CompareOrdinal((string)walk.Hits[i - 1].Node["name"]!, (string)walk.Hits[i].Node["name"]!) <= 0);
    }

    // ---------------------------------------------------------------- origins

    [Fact]
    public async Task Near_zip_measures_from_the_zip_centroid_within_25_miles_by_default()
    {
        var row = File.ReadLines(Path.Combine(Repository.Root, "seed", "zip-centroids.csv")).Single(l => l.StartsWith("85251,", StringComparison.Ordinal)).Split(',');
        var (latitude, longitude) = (double.Parse(row[3], CultureInfo.InvariantCulture), double.Parse(row[4], CultureInfo.InvariantCulture));

        foreach (var zip in new[] { "85251", " 85251 ", "85251-1234" })
        {
            var walk = await WalkAsync(_api, ", $zip: String", "nearZip: $zip", new Dictionary<string, object?> { ["zip"] = zip }, first: 5);
            var origin = walk.FirstPage["origin"]!["coordinates"]!.AsArray().Select(v => (double)v!).ToList();
            Assert.Equal([longitude, latitude], origin);
            Assert.Equal(25 * MetersPerMile, (double)walk.FirstPage["radius"]!["meters"]!, tolerance: 1e-9);

            var expected = _all.Select(c => (Center: c, Meters: Haversine(latitude, longitude, c.Latitude, c.Longitude)))
                .Where(x => x.Meters <= 25 * MetersPerMile).OrderBy(x => x.Meters).ThenBy(x => x.Center.Id).ToList();
            AssertSameSet(expected.Select(x => x.Center), walk.Hits, _all.Count, $"nearZip {zip}");
            Assert.Equal(expected.Select(x => x.Center.Id), walk.Hits.Select(h => h.CenterId));
            foreach (var (hit, oracle) in walk.Hits.Zip(expected))
                Assert.True(Math.Abs(hit.Meters!.Value - oracle.Meters) <= 1e-6 * oracle.Meters + 1e-6, $"{hit.Meters} vs {oracle.Meters}");
            AssertDistanceOrder(walk.Hits);
        }
    }

    [Fact]
    public async Task Near_city_ignores_case_and_measures_from_the_median_of_the_city_zip_centroids()
    {
        var zips = File.ReadLines(Path.Combine(Repository.Root, "seed", "zip-centroids.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => f[2] == "AZ" && string.Equals(f[1], "Scottsdale", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(zips);
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
        var latitude = Median(zips.Select(f => double.Parse(f[3], CultureInfo.InvariantCulture)));
        var longitude = Median(zips.Select(f => double.Parse(f[4], CultureInfo.InvariantCulture)));

        List<int>? first = null;
        foreach (var (city, state) in new[] { ("Scottsdale", "AZ"), ("scottsdale", "az"), ("SCOTTSDALE", "Az"), ("  sCoTtSdAlE ", "AZ") })
        {
            var walk = await WalkAsync(_api, ", $city: CityInput", "nearCity: $city",
                new Dictionary<string, object?> { ["city"] = new { city, state } }, first: 100);
            var origin = walk.FirstPage["origin"]!["coordinates"]!.AsArray().Select(v => (double)v!).ToList();
            Assert.Equal(longitude, origin[0], tolerance: 1e-12);
            Assert.Equal(latitude, origin[1], tolerance: 1e-12);
            var ids = walk.Hits.Select(h => h.CenterId).ToList();
            first ??= ids;
            Assert.Equal(first, ids);
            AssertSameSet(_all.Where(c => Haversine(latitude, longitude, c.Latitude, c.Longitude) <= 25 * MetersPerMile), walk.Hits, _all.Count,
                $"nearCity {city}, {state}");
        }
    }

    // ---------------------------------------------------------------- viewports and areas

    [Fact]
    public async Task A_bounding_box_returns_exactly_the_centres_inside_it_edges_included()
    {
        var boxes = new List<(double South, double West, double North, double East)>
        {
            (31.3, -114.9, 37.0, -109.0), // Arizona
            (32.5, -124.5, 42.0, -114.1), // California
            (24.0, -100.0, 50.0, -60.0), // the east
        };
        var random = new Random(42);
        for (var i = 0; i < 25; i++)
        {
            var south = 18 + random.NextDouble() * 40;
            var west = -160 + random.NextDouble() * 90;
            boxes.Add((south, west, south + 1 + random.NextDouble() * 15, west + 1 + random.NextDouble() * 30));
        }
        // Edges running exactly through centres: those centres are inside.
        foreach (var c in _all.OrderBy(c => c.Id).Where((_, i) => i % 20 == 3))
        {
            boxes.Add((c.Latitude, c.Longitude, c.Latitude + 2, c.Longitude + 2));
            boxes.Add((c.Latitude - 2, c.Longitude - 2, c.Latitude, c.Longitude));
            boxes.Add((c.Latitude, c.Longitude, c.Latitude, c.Longitude));
        }

        var nonTrivial = 0;
        foreach (var (south, west, north, east) in boxes)
        {
            var walk = await WalkAsync(_api, ", $box: BoundingBoxInput", "boundingBox: $box",
                new Dictionary<string, object?> { ["box"] = new { south, west, north, east } }, first: 100);
            var expected = _all.Where(c => InBox(c, south, west, north, east)).Select(c => c.Id).Order().ToList();
            Assert.Equal(expected, walk.Hits.Select(h => h.CenterId).Order().ToList());
            Assert.Equal(expected.Count, walk.TotalCount);
            if (expected.Count > 0 && expected.Count < _all.Count) nonTrivial++;
        }
        Assert.True(nonTrivial >= 20, $"only {nonTrivial} boxes held some but not all centres");
    }

    [Fact]
    public async Task A_centre_a_hair_outside_a_bounding_box_is_not_in_it()
    {
        const double hair = 1e-6; // about 10 cm
        var wrong = new List<string>();
        var tried = 0;
        foreach (var c in _all.OrderBy(c => c.Id).Take(5))
        {
            var boxes = new[]
            {
                (c.Latitude + hair, c.Longitude - 1, c.Latitude + 1, c.Longitude + 1), // just north of it
                (c.Latitude - 1, c.Longitude - 1, c.Latitude - hair, c.Longitude + 1), // just south
                (c.Latitude - 1, c.Longitude + hair, c.Latitude + 1, c.Longitude + 1), // just east
                (c.Latitude - 1, c.Longitude - 1, c.Latitude + 1, c.Longitude - hair), // just west
            };
            foreach (var (south, west, north, east) in boxes)
            {
                var walk = await WalkAsync(_api, ", $box: BoundingBoxInput", "boundingBox: $box",
                    new Dictionary<string, object?> { ["box"] = new { south, west, north, east } }, first: 100);
                var expected = _all.Where(x => InBox(x, south, west, north, east)).Select(x => x.Id).ToHashSet();
                Assert.DoesNotContain(c.Id, expected);
                foreach (var extra in walk.Hits.Where(h => !expected.Contains(h.CenterId)))
                {
                    var x = _all.Single(a => a.Id == extra.CenterId);
                    wrong.Add($"centre {x.Id} at ({x.Latitude:R}, {x.Longitude:R}) returned for box S{south:R} W{west:R} N{north:R} E{east:R}");
                }
                tried++;
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} centres outside {tried} boxes were returned:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_bounding_box_across_the_antimeridian_includes_both_sides_and_distances_cross_it()
    {
        var connectionString = await database.CreateCopyAsync();
        await using (var db = TestDatabase.CreateContext(connectionString))
        {
            db.Centers.Add(NewCenter("East of the Line", 52.0, 179.5, "am-east", state: "AK", zip: "99546", timeZone: "America/Adak"));
            db.Centers.Add(NewCenter("West of the Line", 52.0, -179.5, "am-west", state: "AK", zip: "99546", timeZone: "America/Adak"));
            db.Centers.Add(NewCenter("Far West", 52.0, 170.0, "am-far-west", state: "AK", zip: "99546", timeZone: "America/Adak"));
            db.Centers.Add(NewCenter("Far East", 52.0, -170.0, "am-far-east", state: "AK", zip: "99546", timeZone: "America/Adak"));
            await db.SaveChangesAsync();
        }
        var all = await LoadAsync(connectionString);
        var byName = all.Where(c => c.Source == "search-test").ToDictionary(c => c.Name, c => c.Id);
        await using var api = new ApiFactory(connectionString);

        var box = new { south = 51.0, west = 179.0, north = 53.0, east = -179.0 };
        var walk = await WalkAsync(api, ", $box: BoundingBoxInput", "boundingBox: $box", new Dictionary<string, object?> { ["box"] = box }, first: 10);
        Assert.Equal(new[] { byName["East of the Line"], byName["West of the Line"] }.Order(), walk.Hits.Select(h => h.CenterId).Order());
        Assert.Equal(all.Where(c => InBox(c, 51, 179, 53, -179)).Select(c => c.Id).Order(), walk.Hits.Select(h => h.CenterId).Order());

        // A wider box across the line takes all four; clusters over it count them all.
        var wide = await WalkAsync(api, ", $box: BoundingBoxInput", "boundingBox: $box",
            new Dictionary<string, object?> { ["box"] = new { south = 51.0, west = 169.0, north = 53.0, east = -169.0 } }, first: 10);
        Assert.Equal(4, wide.Hits.Count);
        var clusters = await api.GraphQLAsync("query($box: BoundingBoxInput!) { clusters(boundingBox: $box, zoom: 2) { count bounds } }",
            new { box = new { south = 51.0, west = 169.0, north = 53.0, east = -169.0 } });
        Assert.Null(clusters["errors"]);
        Assert.Equal(4, clusters["data"]!["clusters"]!.AsArray().Sum(c => (int)c!["count"]!));

        // Distances are on the sphere: 0.1 degree west of the line is near both neighbours across it.
        const double latitude = 52.0, longitude = 179.9;
        var near = await WalkAsync(api, ", $near: GeoPointInput!", "near: $near, radius: { value: 100, unit: KILOMETERS }",
            new Dictionary<string, object?> { ["near"] = new { latitude, longitude } }, first: 10);
        Assert.Equal([byName["East of the Line"], byName["West of the Line"]], near.Hits.Select(h => h.CenterId));
        Assert.Equal(Haversine(latitude, longitude, 52.0, 179.5), near.Hits[0].Meters!.Value, tolerance: 1e-3);
        Assert.Equal(Haversine(latitude, longitude, 52.0, -179.5), near.Hits[1].Meters!.Value, tolerance: 1e-3);
        Assert.InRange(near.Hits[1].Meters!.Value, 20_000, 50_000);
    }

    [Fact]
    public async Task An_area_polygon_returns_exactly_the_centres_it_covers()
    {
        // The corners of the first polygon sit exactly on two centres: boundary points are covered.
        var phoenix = _all.Where(c => c.Address.State == "AZ").OrderBy(c => c.Id).ToList();
        var (a, b) = (phoenix[0], phoenix[1]);
        var areas = new List<(string Label, object GeoJson, Geometry Oracle)>();

        void AddPolygon(string label, params double[][][] rings)
        {
            var shells = rings.Select(r => Geometry.CreateLinearRing(r.Select(p => new Coordinate(p[0], p[1])).ToArray())).ToArray();
            areas.Add((label, new { type = "Polygon", coordinates = rings }, Geometry.CreatePolygon(shells[0], shells[1..])));
        }

        AddPolygon("corners on centres", [[a.Longitude, a.Latitude], [b.Longitude, b.Latitude], [b.Longitude + 3, b.Latitude + 4], [a.Longitude - 3, a.Latitude + 4], [a.Longitude, a.Latitude]]);
        // A concave "L" over the south-west.
        AddPolygon("concave L", [[-124, 31], [-108, 31], [-108, 35], [-116, 35], [-116, 42], [-124, 42], [-124, 31]]);
        // The lower 48 with a hole over the middle.
        AddPolygon("with a hole",
            [[-125, 24], [-66, 24], [-66, 50], [-125, 50], [-125, 24]],
            [[-105, 30], [-105, 45], [-85, 45], [-85, 30], [-105, 30]]);
        // Two parts: New York City and Houston.
        double[][][][] multi =
        [
            [[[-74.3, 40.5], [-73.7, 40.5], [-73.7, 40.95], [-74.3, 40.95], [-74.3, 40.5]]],
            [[[-95.8, 29.5], [-95.0, 29.5], [-95.0, 30.1], [-95.8, 30.1], [-95.8, 29.5]]],
        ];
        areas.Add(("multipolygon", new { type = "MultiPolygon", coordinates = multi }, Geometry.CreateMultiPolygon(multi.Select(p =>
            Geometry.CreatePolygon(p[0].Select(q => new Coordinate(q[0], q[1])).ToArray())).ToArray())));

        foreach (var (label, geoJson, oracle) in areas)
        {
            var walk = await WalkAsync(_api, ", $area: GeoJSON", "area: $area", new Dictionary<string, object?> { ["area"] = geoJson }, first: 100);
            AssertSameSet(_all.Where(c => oracle.Covers(Geometry.CreatePoint(new Coordinate(c.Longitude, c.Latitude)))), walk.Hits, _all.Count, label);
            if (label == "corners on centres")
            {
                Assert.Contains(walk.Hits, h => h.CenterId == a.Id);
                Assert.Contains(walk.Hits, h => h.CenterId == b.Id);
            }
        }
    }

    [Fact]
    public async Task Serves_location_returns_the_centres_whose_service_area_covers_the_point_nearest_first()
    {
        var areas = _all.Where(c => c.ServiceArea is not null).ToList();
        Assert.NotEmpty(areas);
        var points = _all.Select(c => (c.Latitude, c.Longitude)).ToList();
        points.AddRange(File.ReadLines(Path.Combine(Repository.Root, "seed", "zip-centroids.csv")).Skip(1).Where((_, i) => i % 400 == 0)
            .Select(l => l.Split(',')).Select(f => (double.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture))));

        // Geography edges are great circles, the oracle's are straight in lon/lat: skip points
        // within half a degree of an edge, where the two may disagree.
        points = points.Where(p => !areas.Any(c => DistanceOp.Distance(c.ServiceArea!.Boundary, Geometry.CreatePoint(new Coordinate(p.Longitude, p.Latitude))) < 0.5))
            .ToList();
        var walks = await FetchAllAsync(points, p => WalkAsync(_api, ", $point: GeoPointInput", "servesLocation: $point",
            new Dictionary<string, object?> { ["point"] = new { latitude = p.Latitude, longitude = p.Longitude } }, first: 100));
        var tested = 0;
        var covered = 0;
        foreach (var ((latitude, longitude), walk) in points.Zip(walks))
        {
            var point = Geometry.CreatePoint(new Coordinate(longitude, latitude));
            var expected = areas.Where(c => c.ServiceArea!.Covers(point))
                .OrderBy(c => Haversine(latitude, longitude, c.Latitude, c.Longitude)).ThenBy(c => c.Id).Select(c => c.Id).ToList();
            Assert.Equal(expected, walk.Hits.Select(h => h.CenterId).ToList());
            Assert.Null(walk.FirstPage["radius"]); // no radius: the service area decides
            AssertDistanceOrder(walk.Hits);
            tested++;
            if (expected.Count > 0) covered++;
        }
        Assert.True(tested >= 50, $"only {tested} points far enough from service-area edges");
        Assert.True(covered >= 10 && covered < tested, $"{covered} of {tested} points were covered: the test does not discriminate");
    }

    // ---------------------------------------------------------------- filters

    public static readonly Dictionary<string, (object Filter, Func<Center, bool> Oracle)> FilterCases = new()
    {
        ["tracks"] = (new { tracks = new[] { "EVENING", "WEEKEND" } }, c => HasTrack(c, TrackKind.Evening) || HasTrack(c, TrackKind.Weekend)),
        ["payerTypes"] = (new { payerTypes = new[] { "MEDICAID" } }, c => c.PayerTypes.Contains(PayerType.Medicaid)),
        ["services all-of"] = (new { services = new[] { "GROUP_COUNSELING", "YOGA", "MEDICATION_MANAGEMENT" } },
            c => new[] { "GROUP_COUNSELING", "YOGA", "MEDICATION_MANAGEMENT" }.All(s => ServiceCodes(c).Contains(s))),
        ["anyServices"] = (new { anyServices = new[] { "EQUINE_THERAPY", "NEUROFEEDBACK" } },
            c => ServiceCodes(c).Any(s => s is "EQUINE_THERAPY" or "NEUROFEEDBACK")),
        ["carriers"] = (new { carriers = new[] { "TRICARE", "KAISER" } }, c => c.InsurancePlans.Any(p => p.CarrierCode is "TRICARE" or "KAISER")),
        ["populations"] = (new { populations = new[] { "VETERANS", "LGBTQ" } },
            c => c.Populations.Contains(Population.Veterans) || c.Populations.Contains(Population.Lgbtq)),
        ["age 17"] = (new { age = 17 }, c => c.Programs.Any(p => (p.MinAge ?? 0) <= 17 && (p.MaxAge ?? 200) >= 17)),
        ["age 26"] = (new { age = 26 }, c => c.Programs.Any(p => (p.MinAge ?? 0) <= 26 && (p.MaxAge ?? 200) >= 26)),
        ["age 60"] = (new { age = 60 }, c => c.Programs.Any(p => (p.MinAge ?? 0) <= 60 && (p.MaxAge ?? 200) >= 60)),
        ["languages"] = (new { languages = new[] { "es", "vi" } }, c => c.Languages.Contains("es") || c.Languages.Contains("vi")),
        ["telehealth"] = (new { telehealth = true }, c => c.Programs.Any(p => p.Telehealth)),
        ["no telehealth"] = (new { telehealth = false }, c => !c.Programs.Any(p => p.Telehealth)),
        ["not accepting"] = (new { acceptingNewPatients = false }, c => !c.AcceptingNewPatients),
        ["accepting"] = (new { acceptingNewPatients = true }, c => c.AcceptingNewPatients),
        ["tuesday from 17:00"] = (new { schedule = new { weekdays = new[] { "TUESDAY" }, startsAtOrAfter = "17:00" } },
            c => c.Programs.Any(p => p.Tracks.Any(t => t.Sessions.Any(s => s.Weekday == DayOfWeek.Tuesday && s.StartsAt >= new TimeOnly(17, 0))))),
        // Both bounds inclusive: sessions 09:00-13:30 match, 08:30-13:30 and 09:00-15:00 do not.
        ["weekend mornings"] = (new { schedule = new { weekdays = new[] { "SATURDAY", "SUNDAY" }, startsAtOrAfter = "09:00", endsAtOrBefore = "13:30", track = "WEEKEND" } },
            c => c.Programs.Any(p => p.Tracks.Any(t => t.Kind == TrackKind.Weekend && t.Sessions.Any(s =>
                s.Weekday is DayOfWeek.Saturday or DayOfWeek.Sunday && s.StartsAt >= new TimeOnly(9, 0) && s.EndsAt <= new TimeOnly(13, 30))))),
        ["combined"] = (new { tracks = new[] { "EVENING" }, payerTypes = new[] { "MEDICAID", "MEDICARE" }, acceptingNewPatients = true },
            c => HasTrack(c, TrackKind.Evening) && (c.PayerTypes.Contains(PayerType.Medicaid) || c.PayerTypes.Contains(PayerType.Medicare)) && c.AcceptingNewPatients),
    };

    [Theory]
    [InlineData("tracks")]
    [InlineData("payerTypes")]
    [InlineData("services all-of")]
    [InlineData("anyServices")]
    [InlineData("carriers")]
    [InlineData("populations")]
    [InlineData("age 17")]
    [InlineData("age 26")]
    [InlineData("age 60")]
    [InlineData("languages")]
    [InlineData("telehealth")]
    [InlineData("no telehealth")]
    [InlineData("not accepting")]
    [InlineData("accepting")]
    [InlineData("tuesday from 17:00")]
    [InlineData("weekend mornings")]
    [InlineData("combined")]
    public async Task A_filter_returns_exactly_the_centres_a_brute_force_over_their_programs_finds(string name)
    {
        var (filter, oracle) = FilterCases[name];
        var walk = await FilterAsync(filter, first: 30);
        AssertSameSet(_all.Where(oracle), walk.Hits, _all.Count, name);
        Assert.Equal(walk.Hits.Count, walk.TotalCount);
    }

    [Fact]
    public async Task Filters_apply_inside_a_radius_too()
    {
        var (filter, oracle) = FilterCases["payerTypes"];
        const double latitude = 34.05, longitude = -118.25; // Los Angeles: 500 km takes in southern California and Arizona
        var walk = await WalkAsync(_api, ", $near: GeoPointInput!, $filter: CenterFilter", "near: $near, radius: { value: 500, unit: KILOMETERS }, filter: $filter",
            new Dictionary<string, object?> { ["near"] = new { latitude, longitude }, ["filter"] = filter }, first: 100);
        var inRadius = _all.Where(c => Haversine(latitude, longitude, c.Latitude, c.Longitude) <= 500_000).ToList();
        AssertSameSet(inRadius.Where(oracle), walk.Hits, inRadius.Count, "Medicaid within 500 km of Los Angeles");
        AssertDistanceOrder(walk.Hits);
    }

    [Fact]
    public async Task Verified_within_days_keeps_centres_verified_since_that_many_days_ago()
    {
        var now = DateTimeOffset.UtcNow;
        var verified = _all.Where(c => c.LastVerifiedAt is not null).ToList();
        // A cut-off that splits the centres and has no verification within an hour of it (the clocks differ by a little).
        var days = Enumerable.Range(1, 3_000).First(d =>
        {
            var cutoff = now.AddDays(-d);
            var inside = verified.Count(c => c.LastVerifiedAt >= cutoff);
            return inside >= _all.Count / 3 && verified.All(c => Math.Abs((c.LastVerifiedAt!.Value - cutoff).TotalHours) > 1);
        });
        var walk = await FilterAsync(new { verifiedWithinDays = days });
        AssertSameSet(_all.Where(c => c.LastVerifiedAt >= now.AddDays(-days)), walk.Hits, _all.Count, $"verified within {days} days");
    }

    // ---------------------------------------------------------------- openAt

    private static (DayOfWeek Day, TimeOnly Time) LocalTime(string zone, DateTimeOffset at, bool standardTimeOnly = false)
    {
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var instant = Instant.FromDateTimeOffset(at);
        var local = standardTimeOnly
            ? instant.WithOffset(tz.GetUtcOffset(Instant.FromUtc(2026, 1, 15, 0, 0))).LocalDateTime
            : instant.InZone(tz).LocalDateTime;
        return (NodaTime.Utility.BclConversions.ToDayOfWeek(local.DayOfWeek), local.TimeOfDay.ToTimeOnly());
    }

    /// <summary>Is any of the centre's own facility lines answered at that instant, in the line's own time zone?</summary>
    private static bool AnswersAt(Center c, DateTimeOffset at, bool standardTimeOnly = false) =>
        c.CallRoutes.Any(r => r.Kind == DisplayedNumberKind.FacilityLine
            && (r.AnsweredAllHours || LocalTime(r.AnswerTimeZone, at, standardTimeOnly) is var (day, time)
                && r.Hours.Any(h => h.Weekday == day && h.OpensAt <= time && time < h.ClosesAt)));

    [Fact]
    public async Task Open_at_matches_each_line_hours_in_its_own_time_zone_across_dst_changes()
    {
        // A private copy with one line answered on Sunday mornings in New York, so the spring-forward
        // Sunday tells daylight time from standard time.
        var connectionString = await database.CreateCopyAsync();
        await using (var db = TestDatabase.CreateContext(connectionString))
        {
            var center = NewCenter("Sunday Morning Intake", 40.75, -73.99, "sunday-line", state: "NY", zip: "10001", timeZone: "America/New_York");
            db.Centers.Add(center);
            await db.SaveChangesAsync();
            db.CallRoutes.Add(new CallRoute
            {
                CenterId = center.Id, Number = "+12125550188", Kind = DisplayedNumberKind.FacilityLine, DestinationKind = RouteDestinationKind.Facility,
                DestinationCenterId = center.Id, DestinationNumber = "+12125550188", AnswerTimeZone = "America/New_York",
                Hours = [new AnswerHours { Weekday = DayOfWeek.Sunday, OpensAt = new(7, 0), ClosesAt = new(12, 0) }],
            });
            await db.SaveChangesAsync();
        }
        var all = await LoadAsync(connectionString);
        await using var api = new ApiFactory(connectionString);

        var instants = new[]
        {
            "2026-03-08T11:30:00Z", // spring forward (US): 07:30 EDT in New York, 06:30 if standard time were kept
            "2026-03-08T16:30:00Z", // same day: 12:30 EDT, closed; 11:30 if standard time were kept, open
            "2026-03-09T12:30:00Z", // the Monday after: lines opening 08:00 in New York are open, in Chicago not yet
            "2026-11-01T06:30:00Z", // fall back: 01:30 in Chicago, the hour that happens twice
            "2026-11-01T13:00:00Z", // fall back Sunday, 08:00 EST
            "2026-11-02T14:00:00Z", // Monday after, 09:00 EST / 08:00 CST / 07:00 MST
            "2026-11-24T23:10:00Z", // an ordinary Tuesday evening
            "2026-11-28T16:30:00Z", // an ordinary Saturday
        }.Select(s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture)).ToList();

        var nonTrivial = 0;
        var dstMatters = 0;
        foreach (var at in instants)
        {
            var walk = await WalkAsync(api, ", $filter: CenterFilter", "filter: $filter",
                new Dictionary<string, object?> { ["filter"] = new { openAt = at.ToString("o", CultureInfo.InvariantCulture) } }, first: 100);
            var expected = all.Where(c => AnswersAt(c, at)).Select(c => c.Id).Order().ToList();
            Assert.True(expected.SequenceEqual(walk.Hits.Select(h => h.CenterId).Order()),
                $"openAt {at:o}: expected {expected.Count} [{string.Join(',', expected)}], got {walk.Hits.Count} [{string.Join(',', walk.Hits.Select(h => h.CenterId).Order())}]");
            if (expected.Count > 0 && expected.Count < all.Count) nonTrivial++;
            if (!expected.SequenceEqual(all.Where(c => AnswersAt(c, at, standardTimeOnly: true)).Select(c => c.Id).Order())) dstMatters++;
        }
        Assert.True(nonTrivial >= instants.Count - 1, $"only {nonTrivial} instants split the centres");
        Assert.True(dstMatters >= 2, "no instant where daylight saving time changes the answer: the oracle cannot catch a DST mistake");
    }

    // ---------------------------------------------------------------- facets

    [Fact]
    public async Task Each_facet_counts_the_search_without_its_own_filter()
    {
        var box = new { south = 18.0, west = -170.0, north = 72.0, east = -95.0 }; // the western half: the location applies to facets too
        var filter = new { tracks = new[] { "EVENING" }, payerTypes = new[] { "MEDICAID" } };
        var body = await _api.GraphQLAsync(
            "query($box: BoundingBoxInput, $filter: CenterFilter) { searchCenters(boundingBox: $box, filter: $filter, first: 1) { totalCount "
            + "facets { services { value count } tracks { value count } payerTypes { value count } populations { value count } levelsOfCare { value count } } } }",
            new { box, filter });
        Assert.Null(body["errors"]);
        var result = body["data"]!["searchCenters"]!;

        var inBox = _all.Where(c => InBox(c, box.south, box.west, box.north, box.east)).ToList();
        bool Evening(Center c) => HasTrack(c, TrackKind.Evening);
        bool Medicaid(Center c) => c.PayerTypes.Contains(PayerType.Medicaid);
        Assert.Equal(inBox.Count(c => Evening(c) && Medicaid(c)), (int)result["totalCount"]!);

        static string Constant(Enum value) => Labels.ConstantCase(value);
        var oracles = new Dictionary<string, (IEnumerable<Center> Base, Func<Center, IEnumerable<string>> Values, int Vocabulary)>
        {
            ["tracks"] = (inBox.Where(Medicaid), c => c.Programs.SelectMany(p => p.Tracks).Select(t => Constant(t.Kind)), Enum.GetValues<TrackKind>().Length),
            ["payerTypes"] = (inBox.Where(Evening), c => c.PayerTypes.Select(p => Constant(p)), Enum.GetValues<PayerType>().Length),
            ["services"] = (inBox.Where(c => Evening(c) && Medicaid(c)), ServiceCodes, ServiceCatalog.All.Count),
            ["populations"] = (inBox.Where(c => Evening(c) && Medicaid(c)), c => c.Populations.Select(p => Constant(p)), Enum.GetValues<Population>().Length),
            ["levelsOfCare"] = (inBox.Where(c => Evening(c) && Medicaid(c)), c => c.LevelsOfCare.Select(l => Constant(l)), Enum.GetValues<LevelOfCare>().Length),
        };
        var positive = 0;
        foreach (var (facet, (baseSet, values, vocabulary)) in oracles)
        {
            var counts = result["facets"]![facet]!.AsArray().ToDictionary(f => (string)f!["value"]!, f => (int)f!["count"]!);
            Assert.Equal(vocabulary, counts.Count);
            foreach (var (value, count) in counts)
            {
                Assert.True(baseSet.Count(c => values(c).Contains(value)) == count,
                    $"facet {facet} value {value}: API {count}, brute force {baseSet.Count(c => values(c).Contains(value))}");
                if (count > 0) positive++;
            }
        }
        // Without their own filter the tracks and payer facets count more than the filtered total.
        Assert.Contains(result["facets"]!["tracks"]!.AsArray(), f => (string)f!["value"]! != "EVENING" && (int)f["count"]! > 0);
        Assert.Contains(result["facets"]!["payerTypes"]!.AsArray(), f => (string)f!["value"]! != "MEDICAID" && (int)f["count"]! > 0);
        Assert.True(positive > 10);
    }

    // ---------------------------------------------------------------- clusters and GeoJSON

    [Theory]
    [InlineData(18.0, -170.0, 72.0, -60.0, 0)]
    [InlineData(18.0, -170.0, 72.0, -60.0, 3)]
    [InlineData(24.0, -125.0, 50.0, -66.0, 5)]
    [InlineData(31.3, -114.9, 37.0, -109.0, 8)]
    [InlineData(33.3, -112.3, 33.8, -111.6, 12)]
    [InlineData(18.0, -170.0, 72.0, -60.0, 22)]
    public async Task Clusters_count_every_centre_in_the_box_once_and_sit_inside_their_bounds(double south, double west, double north, double east, int zoom)
    {
        var inBox = _all.Where(c => InBox(c, south, west, north, east)).ToList();
        Assert.NotEmpty(inBox);
        foreach (var withFilter in new[] { false, true })
        {
            object? filter = withFilter ? new { payerTypes = new[] { "MEDICAID" } } : null;
            var expected = withFilter ? inBox.Where(c => c.PayerTypes.Contains(PayerType.Medicaid)).ToList() : inBox;
            var body = await _api.GraphQLAsync(
                "query($box: BoundingBoxInput!, $zoom: Int!, $filter: CenterFilter) { clusters(boundingBox: $box, zoom: $zoom, filter: $filter) { "
                + "count latitude longitude location { type coordinates } bounds centerId } }",
                new { box = new { south, west, north, east }, zoom, filter });
            Assert.Null(body["errors"]);
            var clusters = body["data"]!["clusters"]!.AsArray();
            Assert.Equal(expected.Count, clusters.Sum(c => (int)c!["count"]!));
            if (zoom == 0) Assert.True(clusters.Count < expected.Count || expected.Count <= 1, "zoom 0 should group centres");
            if (zoom == 22) Assert.Equal(expected.Count, clusters.Count); // distinct points, tiny cells

            var singles = new List<int>();
            foreach (var cluster in clusters)
            {
                var bounds = cluster!["bounds"]!.AsArray().Select(v => (double)v!).ToArray(); // west, south, east, north
                var (lat, lon) = ((double)cluster["latitude"]!, (double)cluster["longitude"]!);
                Assert.Equal([lon, lat], cluster["location"]!["coordinates"]!.AsArray().Select(v => (double)v!));
                Assert.Equal("Point", (string)cluster["location"]!["type"]!);
                Assert.True(bounds[0] <= lon && lon <= bounds[2] && bounds[1] <= lat && lat <= bounds[3],
                    $"cluster at ({lat}, {lon}) outside its bounds [{string.Join(", ", bounds)}]");
                Assert.True(bounds[0] >= west && bounds[2] <= east && bounds[1] >= south && bounds[3] <= north, "cluster bounds leave the viewport");
                var members = expected.Where(c => c.Longitude >= bounds[0] && c.Longitude <= bounds[2] && c.Latitude >= bounds[1] && c.Latitude <= bounds[3]).ToList();
                Assert.True(members.Count >= (int)cluster["count"]!, "a cluster counts more centres than its bounds hold");
                if ((int)cluster["count"]! == 1)
                {
                    var id = CenterKey((string)cluster["centerId"]!);
                    var centre = Assert.Single(members);
                    Assert.Equal(centre.Id, id);
                    Assert.Equal((centre.Latitude, centre.Longitude), (lat, lon));
                    singles.Add(id);
                }
                else Assert.Null(cluster["centerId"]);
            }
            Assert.Equal(singles.Count, singles.Distinct().Count());
        }
    }

    [Fact]
    public async Task Geojson_is_a_feature_collection_of_exactly_the_page_edges()
    {
        var body = await _api.GraphQLAsync(
            "{ searchCenters(nearZip: \"85251\", radius: { value: 50 }, first: 5) { edges { distance { meters } node { id name latitude longitude acceptingNewPatients address { city state } } } geoJson } }");
        Assert.Null(body["errors"]);
        var result = body["data"]!["searchCenters"]!;
        var edges = result["edges"]!.AsArray();
        var geoJson = result["geoJson"]!;
        Assert.Equal(5, edges.Count);
        Assert.Equal("FeatureCollection", (string)geoJson["type"]!);
        var features = geoJson["features"]!.AsArray();
        Assert.Equal(edges.Count, features.Count);
        foreach (var (edge, feature) in edges.Zip(features))
        {
            var node = edge!["node"]!;
            Assert.Equal("Feature", (string)feature!["type"]!);
            Assert.Equal((string)node["id"]!, (string)feature["id"]!);
            Assert.Equal("Point", (string)feature["geometry"]!["type"]!);
            Assert.Equal([(double)node["longitude"]!, (double)node["latitude"]!], feature["geometry"]!["coordinates"]!.AsArray().Select(v => (double)v!));
            var properties = feature["properties"]!;
            Assert.Equal((string)node["name"]!, (string)properties["name"]!);
            Assert.Equal((string)node["address"]!["city"]!, (string)properties["city"]!);
            Assert.Equal((string)node["address"]!["state"]!, (string)properties["state"]!);
            Assert.Equal((bool)node["acceptingNewPatients"]!, (bool)properties["acceptingNewPatients"]!);
            Assert.Equal((double)edge["distance"]!["meters"]!, (double)properties["distanceMeters"]!);
        }

        // A second page's layer holds the second page only.
        var after = await _api.GraphQLAsync("{ searchCenters(nearZip: \"85251\", radius: { value: 50 }, first: 5) { pageInfo { endCursor } } }");
        var cursor = (string)after["data"]!["searchCenters"]!["pageInfo"]!["endCursor"]!;
        var next = await _api.GraphQLAsync("query($after: String) { searchCenters(nearZip: \"85251\", radius: { value: 50 }, first: 5, after: $after) { nodes { id } geoJson } }",
            new { after = cursor });
        var nextIds = next["data"]!["searchCenters"]!["nodes"]!.AsArray().Select(n => (string)n!["id"]!).ToList();
        Assert.NotEmpty(nextIds);
        Assert.Equal(nextIds, next["data"]!["searchCenters"]!["geoJson"]!["features"]!.AsArray().Select(f => (string)f!["id"]!));
        Assert.Empty(nextIds.Intersect(features.Select(f => (string)f!["id"]!)));
    }
}
