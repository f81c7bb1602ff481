using System.Text;
using System.Text.Json;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Search;
using Npgsql;
using NpgsqlTypes;

namespace IopDirectory.Benchmarks;

public readonly record struct QueryPoint(double Latitude, double Longitude);

/// <summary>
/// One shape of the location search: the GraphQL operation the API gets, the same filter as a
/// <see cref="CenterFilter"/> (to build the API's SQL), and the same filter as raw-SQL parameters.
/// </summary>
public sealed record Variant(string Name, string Description, string? GraphQLFilter, CenterFilter? Filter,
    string[]? Tracks, string[]? PayerTypes, string[]? Services)
{
    public const int PageSize = 20;
    public const double RadiusMiles = 25;
    public static readonly double RadiusMeters = RadiusMiles * Distances.MetersPerMile;

    public const string FullSelection = "edges { distance { meters miles } node { id name phones { number } programs { name tracks { kind } } } }";

    /// <summary>The page alone (no phones, no programs): the API without its batch loaders.</summary>
    public const string PageSelection = "edges { distance { meters miles } node { id name } }";

    public string GraphQL => Operation(FullSelection);

    public string Operation(string selection) => $$"""
        query {{char.ToUpperInvariant(Name[0])}}{{Name[1..]}}($lat: Float!, $lng: Float!) {
          searchCenters(near: {latitude: $lat, longitude: $lng}, radius: {value: 25, unit: MILES}, first: {{PageSize}}{{(GraphQLFilter is null ? "" : ",\n                filter: " + GraphQLFilter)}}) {
            {{selection}}
          }
        }
        """;

    public byte[] RequestBody(QueryPoint point) => RequestBody(point, FullSelection);

    /// <summary>The match mode's operation: what a hotline operator asks for a caller at the point.</summary>
    public const string MatchOperation = """
        query Match($lat: Float!, $lng: Float!) {
          matchCaller(input: {near: {latitude: $lat, longitude: $lng}, maxDistance: {value: 25, unit: MILES},
                              payerType: MEDICAID, schedules: [EVENING], age: 34, services: ["FAMILY_THERAPY"], first: 10}) {
            totalMatches
            matches {
              rank score center { id name } program { name } track { kind }
              distance { miles } intakeAnsweredNow reasons { code } gaps { code }
              transfer { destinationNumber rule disclosure }
            }
          }
        }
        """;

    public static byte[] MatchBody(QueryPoint point) =>
        JsonSerializer.SerializeToUtf8Bytes(new { query = MatchOperation, variables = new { lat = point.Latitude, lng = point.Longitude } });

    public byte[] RequestBody(QueryPoint point, string selection) =>
        JsonSerializer.SerializeToUtf8Bytes(new { query = Operation(selection), variables = new { lat = point.Latitude, lng = point.Longitude } });

    /// <summary>The WHERE of the page, the same clauses and operators the API's SQL has (CenterSearch / SearchLocation / CenterFilter).</summary>
    private string Where()
    {
        var sql = new StringBuilder("c.location && _ST_Expand(@origin, @radius) AND (c.location <-> @origin) <= @radius");
        if (Services is not null) sql.Append(" AND c.search_services @> @services");
        if (Tracks is not null) sql.Append(" AND c.search_tracks && @tracks");
        if (PayerTypes is not null) sql.Append(" AND c.payer_types && @payer_types");
        return sql.ToString();
    }

    /// <summary>
    /// The best raw form: one statement. The page orders by the KNN operator alone, so the GiST index can return rows
    /// nearest first and stop early (PostgreSQL 15 cannot use the index order for <c>ORDER BY location &lt;-&gt; @origin, id</c>:
    /// an ordering operator must match the whole ORDER BY). <c>WITH TIES</c> keeps every row tied with the last one, and the
    /// outer ORDER BY adds the id tie-break, so the page equals the API's exactly (21 rows: one extra tells whether a next
    /// page exists). Phones and programs with their tracks come as JSON per row.
    /// </summary>
    public string RawSql => $"""
        SELECT p.id, p.name, p.meters,
               (SELECT coalesce(json_agg(ph.number ORDER BY ph.kind, ph.id), '[]') FROM phones ph WHERE ph.center_id = p.id) AS phones,
               (SELECT coalesce(json_agg(json_build_object('name', pr.name, 'tracks',
                         (SELECT coalesce(json_agg(t.kind ORDER BY t.kind, t.id), '[]') FROM tracks t WHERE t.program_id = pr.id)) ORDER BY pr.id), '[]')
                  FROM programs pr WHERE pr.center_id = p.id) AS programs
        FROM (
        {Indent(RawPageSql, "  ")}
        ) p
        ORDER BY p.meters, p.id
        """;

    /// <summary>The page part alone (what EXPLAIN compares with the API's page statement).</summary>
    public string RawPageSql => $"""
        SELECT * FROM (
          SELECT c.id, c.name, c.location <-> @origin AS meters
          FROM centers c
          WHERE {Where()}
          ORDER BY c.location <-> @origin
          FETCH FIRST {PageSize + 1} ROWS WITH TIES
        ) page
        ORDER BY page.meters, page.id
        LIMIT {PageSize + 1}
        """;

    private static string Indent(string text, string indent) => string.Join("\n", text.Split('\n').Select(l => indent + l));

    /// <summary>Matches within the radius (how selective the variant is at a point).</summary>
    public string CountSql => $"SELECT count(*) FROM centers c WHERE {Where()}";

    public NpgsqlParameter[] RawParameters(QueryPoint point)
    {
        var parameters = new List<NpgsqlParameter>
        {
            new("origin", NpgsqlDbType.Geography) { Value = Workload.Point(point) },
            new("radius", NpgsqlDbType.Double) { Value = RadiusMeters },
        };
        if (Services is not null) parameters.Add(new("services", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Services });
        if (Tracks is not null) parameters.Add(new("tracks", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Tracks });
        if (PayerTypes is not null) parameters.Add(new("payer_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = PayerTypes });
        return [.. parameters];
    }
}

public static class Workload
{
    private static readonly NetTopologySuite.Geometries.GeometryFactory Factory = new(new NetTopologySuite.Geometries.PrecisionModel(), 4326);

    public static readonly Variant[] Variants =
    [
        new("canonical", "tracks: [EVENING], payerTypes: [MEDICAID] (the issue's query)",
            "{tracks: [EVENING], payerTypes: [MEDICAID]}",
            new CenterFilter(Tracks: [TrackKind.Evening], PayerTypes: [PayerType.Medicaid]),
            [nameof(TrackKind.Evening)], [nameof(PayerType.Medicaid)], null),
        new("selective", "services: [EQUINE_THERAPY], tracks: [EVENING], payerTypes: [MEDICAID]",
            "{services: [\"EQUINE_THERAPY\"], tracks: [EVENING], payerTypes: [MEDICAID]}",
            new CenterFilter(Services: ["EQUINE_THERAPY"], Tracks: [TrackKind.Evening], PayerTypes: [PayerType.Medicaid]),
            [nameof(TrackKind.Evening)], [nameof(PayerType.Medicaid)], ["EQUINE_THERAPY"]),
        new("unselective", "no filter (radius only)", null, null, null, null, null),
    ];

    public static readonly string[] VariantNames = [.. Variants.Select(v => v.Name)];

    public static NetTopologySuite.Geometries.Point Point(QueryPoint p) => Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(p.Longitude, p.Latitude));

    /// <summary>
    /// Query points near where the centres are: random centres (fixed seed), each moved up to 5 km in a
    /// random direction, so queries land in the synthetic metros and return results.
    /// </summary>
    public static async Task<List<QueryPoint>> PointsAsync(NpgsqlDataSource dataSource, int count, int seed, CancellationToken ct)
    {
        int min, max;
        await using (var range = dataSource.CreateCommand("SELECT min(id), max(id) FROM centers"))
        await using (var reader = await range.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (min, max) = (reader.GetInt32(0), reader.GetInt32(1));
        }
        var rng = new Random(seed);
        var points = new List<QueryPoint>(count);
        while (points.Count < count)
        {
            var ids = Enumerable.Range(0, (count - points.Count) * 2).Select(_ => rng.Next(min, max + 1)).ToArray();
            await using var command = dataSource.CreateCommand(
                "SELECT ST_Y(c.position), ST_X(c.position) FROM unnest($1::int[]) WITH ORDINALITY AS k(id, n) JOIN centers c ON c.id = k.id ORDER BY k.n");
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct) && points.Count < count)
                points.Add(Jitter(new QueryPoint(reader.GetDouble(0), reader.GetDouble(1)), rng, 5_000));
        }
        return points;
    }

    private static QueryPoint Jitter(QueryPoint p, Random rng, double maxMeters)
    {
        var distance = maxMeters * Math.Sqrt(rng.NextDouble());
        var bearing = rng.NextDouble() * 2 * Math.PI;
        var lat = p.Latitude + distance * Math.Cos(bearing) / 111_320;
        var lng = p.Longitude + distance * Math.Sin(bearing) / (111_320 * Math.Cos(p.Latitude * Math.PI / 180));
        return new QueryPoint(Math.Clamp(lat, -89.9, 89.9), lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng);
    }
}
