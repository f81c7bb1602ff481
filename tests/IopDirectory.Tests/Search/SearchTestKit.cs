using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IopDirectory.GraphQL;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Search;

/// <summary>One search result: the centre's global id and row key, its distance and cursor, and the node as returned.</summary>
public sealed record Hit(string Id, int CenterId, double? Meters, string Cursor, JsonNode Node);

/// <summary>All pages of one search, walked with <c>after</c>.</summary>
public sealed record Walk(List<Hit> Hits, int TotalCount, int Pages, JsonNode FirstPage);

/// <summary>Helpers shared by the search tests: an independent distance oracle and page walking.</summary>
public static class SearchTestKit
{
    /// <summary>PostGIS's sphere for geography distances: the IUGG mean radius.</summary>
    public const double EarthRadiusMeters = 6371008.8;

    public const double MetersPerMile = 1609.344;

    /// <summary>Great-circle distance by the haversine formula, written here independently of PostGIS.</summary>
    public static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static readonly ConcurrentDictionary<string, Lazy<ApiFactory>> Apis = new();

    /// <summary>
    /// One in-memory API per database for the whole run: starting a host costs more than most of these
    /// tests, and the read-only tests never change what it serves. (Not disposed: it lives as long as the run.)
    /// </summary>
    public static ApiFactory SharedApi(string connectionString) =>
        Apis.GetOrAdd(connectionString, key => new Lazy<ApiFactory>(() => new ApiFactory(key))).Value;

    /// <summary>Runs the requests a few at a time (results in input order); the checks then run one by one on the results.</summary>
    public static async Task<List<TResult>> FetchAllAsync<TItem, TResult>(IEnumerable<TItem> items, Func<TItem, Task<TResult>> fetch, int concurrency = 4)
    {
        var list = items.ToList();
        var results = new TResult[list.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, list.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, _) => results[i] = await fetch(list[i]));
        return [.. results];
    }

    public static int CenterKey(string globalId) =>
        GlobalId.Decode(globalId) is { Type: "Center" } decoded ? decoded.Id : throw new InvalidOperationException($"Not a centre id: {globalId}");

    /// <summary>
    /// Runs <c>searchCenters</c> page by page until <c>hasNextPage</c> is false. <paramref name="declarations"/>
    /// declares the extra variables (", $near: GeoPointInput"), <paramref name="arguments"/> uses them.
    /// </summary>
    public static async Task<Walk> WalkAsync(ApiFactory api, string declarations, string arguments, IDictionary<string, object?> variables,
        int first, string nodeFields = "", int maxPages = 5_000)
    {
        var query = $"query($first: Int, $after: String{declarations}) {{ searchCenters({arguments}{(arguments.Length > 0 ? ", " : "")}first: $first, after: $after) {{ "
            + "totalCount radius { meters } origin { coordinates } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
            + $"edges {{ cursor distance {{ meters }} node {{ id {nodeFields} }} }} }} }}";
        var hits = new List<Hit>();
        string? after = null;
        int? total = null;
        JsonNode? firstPage = null;
        for (var page = 1; page <= maxPages; page++)
        {
            var vars = new Dictionary<string, object?>(variables) { ["first"] = first, ["after"] = after };
            var body = await api.GraphQLAsync(query, vars);
            Assert.True(body["errors"] is null, $"page {page}: {body.ToJsonString()}");
            var result = body["data"]!["searchCenters"]!;
            firstPage ??= result;
            var edges = result["edges"]!.AsArray();
            var info = result["pageInfo"]!;
            var count = (int)result["totalCount"]!;
            Assert.True(total is null || total == count, $"totalCount changed between pages: {total} then {count}");
            total = count;
            Assert.Equal(after is not null, (bool)info["hasPreviousPage"]!);
            Assert.True(edges.Count <= first, $"page {page} has {edges.Count} edges for first: {first}");
            foreach (var edge in edges)
            {
                var id = (string)edge!["node"]!["id"]!;
                var meters = edge["distance"] is JsonNode d ? (double?)d["meters"]! : null;
                hits.Add(new Hit(id, CenterKey(id), meters, (string)edge["cursor"]!, edge["node"]!));
            }
            if (!(bool)info["hasNextPage"]!)
                return new Walk(hits, total.Value, page, firstPage);
            Assert.Equal(first, edges.Count); // a page that says more follow is full
            after = (string)info["endCursor"]!;
            Assert.Equal((string)edges[^1]!["cursor"]!, after);
        }
        throw new InvalidOperationException($"More than {maxPages} pages: paging does not end.");
    }

    /// <summary>No id twice, distances never decrease, equal distances in id order.</summary>
    public static void AssertDistanceOrder(IReadOnlyList<Hit> hits)
    {
        Assert.Equal(hits.Count, hits.Select(h => h.Id).Distinct().Count());
        for (var i = 1; i < hits.Count; i++)
        {
            var (previous, current) = (hits[i - 1], hits[i]);
            Assert.True(current.Meters >= previous.Meters,
                $"distance decreases at {i}: {previous.Meters} then {current.Meters}");
            if (current.Meters == previous.Meters)
                Assert.True(current.CenterId > previous.CenterId, $"equal distances at {i} not in id order: {previous.CenterId} then {current.CenterId}");
        }
    }
}
