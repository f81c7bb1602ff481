using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using NetTopologySuite.Geometries;

namespace IopDirectory.Search;

public enum SearchOrder
{
    Distance,
    Name,
    RecentlyVerified,
}

/// <summary>A result of a search. Its cursor is encoded when read: a page whose selection has no cursor encodes none.</summary>
public sealed class SearchEdge(SearchOrder order, CenterSearch.Row row)
{
    private string? _cursor;

    public string Cursor => _cursor ??= SearchCursor.Encode(order, row);
    public Center Node => row.Center;
    public double? Meters => row.Meters;
}

public sealed record FacetCount(string Value, string Label, int Count);

public sealed record SearchPage(
    IReadOnlyList<SearchEdge> Edges,
    PageInfo PageInfo,
    SearchLocation Location,
    Func<Task<int>> CountAsync,
    Func<Task<IReadOnlyDictionary<Facet, IReadOnlyList<FacetCount>>>> FacetsAsync);

/// <summary>The nearest-first page statement: its SQL (positional parameters) and the centre columns it selects.</summary>
public sealed record PageStatement(string Sql, IReadOnlyList<Npgsql.NpgsqlParameter> Parameters, PageRows Columns);

public sealed record MapCluster(int Count, double Latitude, double Longitude, double South, double West, double North, double East, int? CenterId);

/// <summary>
/// The location search. One SQL statement for a page: the filter as parameterised SQL; nearest-first pages walk the
/// GiST index and bring the centres' phones, programs and numbers when the selection reads them (see NearestFirstAsync);
/// other orders compose ordering and keyset paging with LINQ. One more for totalCount and one for all facets, each only
/// when asked for. Distances are great-circle metres on the sphere PostGIS uses for geography KNN
/// (<c>&lt;-&gt;</c>), so ordering, radius and reported distance are one metric.
/// </summary>
public sealed class CenterSearch(DirectoryDbContext db, TimeProvider clock, CenterLoaders loaders, SqlStatementCounter statements)
{
    public const int MaxClusters = 2_000;

    /// <summary>
    /// The page in nearest-first order, shaped so PostgreSQL walks the GiST index in distance order
    /// (<c>ORDER BY location &lt;-&gt; origin</c>, alone) and stops after <paramref name="first"/> + 1 matches,
    /// however many centres lie in the radius. <c>WITH TIES</c> keeps every centre at the last distance,
    /// so the (distance, id) order applied over those rows (row_number) is the exact page. The cursor is a filter
    /// inside, so later pages walk the same index. <see cref="NearestFirstPlan"/> makes sure the planner takes that walk.
    /// The children the selection reads come as JSON columns, computed for the page's <paramref name="first"/> rows only:
    /// not for the one more row that tells whether a next page exists, nor for rows tied with it.
    /// </summary>
    public PageStatement NearestFirst(SearchLocation location, CenterFilter? filter, SearchCursor? cursor, int first, PageChildren children)
    {
        var take = first + 1;
        var where = SqlWhere.ListedCenters(positional: true);
        location.AppendTo(where);
        filter?.AppendTo(where, clock);
        var knn = $"(c.location <-> {where.Parameter(location.Origin!, NpgsqlTypes.NpgsqlDbType.Geography)})";
        if (cursor is not null)
        {
            var meters = where.Parameter(cursor.Meters!.Value);
            where.Add($"{knn} > {meters} OR ({knn} = {meters} AND c.id > {where.Parameter(cursor.Id)})");
        }
        var (phones, programs, routes) = PageChildrenSql.Columns(db.Model, children);
        var columns = PageRows.For(db.Model, children.CenterFields);
        var sql = $"""
            -- {NearestFirstPlan.Tag}
            SELECT c.*,
                   CASE WHEN c.n <= {first} THEN {phones} END AS phones_json,
                   CASE WHEN c.n <= {first} THEN {programs} END AS programs_json,
                   CASE WHEN c.n <= {first} THEN {routes} END AS call_routes_json
            FROM (
              SELECT page.*, row_number() OVER (ORDER BY page.meters, page.id) AS n
              FROM (
                SELECT {columns.SelectList}, {knn} AS meters
                FROM centers c WHERE {where.Sql}
                ORDER BY {knn}
                FETCH FIRST {take} ROWS WITH TIES
              ) page
            ) c
            ORDER BY c.n
            LIMIT {take}
            """;
        return new PageStatement(sql, where.Parameters, columns);
    }

    /// <summary>
    /// Runs <see cref="NearestFirst"/> on the context's connection (and transaction, when one is open) through Npgsql
    /// directly, and reads it with <see cref="PageRows"/>: EF's command pipeline around one statement (its command objects,
    /// interceptors, diagnostics, and Npgsql rewriting named placeholders) was about a tenth of the API process's CPU per
    /// search (0.92 against 0.80 ms in six interleaved pairs, tests/IopDirectory.Benchmarks/README.md).
    /// </summary>
    private async Task<List<SearchHit>> NearestFirstAsync(SearchLocation location, CenterFilter? filter, SearchCursor? cursor, int first,
        PageChildren children, CancellationToken cancellationToken)
    {
        var page = NearestFirst(location, filter, cursor, first, children);
        var columns = page.Columns;
        var hits = new List<SearchHit>(first + 1);
        using PageJson phones = new(), programs = new(), routes = new();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            var transaction = (Npgsql.NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
            statements.Add();
            await using var rows = await NearestFirstPlan.ExecuteReaderAsync(connection, transaction, page.Sql, page.Parameters, cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                var hit = columns.Read(rows);
                hit.Meters = rows.GetDouble(columns.Count);
                hit.HasPhones = phones.Add(rows, columns.Count + 2);
                hit.HasPrograms = programs.Add(rows, columns.Count + 3);
                routes.Add(rows, columns.Count + 4);
                hits.Add(hit);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        PageChildrenSql.Attach(loaders, hits, phones, programs, routes, children.Rendered);
        return hits;
    }

    /// <summary>The filtered centres as raw SQL that LINQ composes on.</summary>
    public IQueryable<Center> Filtered(SearchLocation? location, CenterFilter? filter)
    {
        var where = SqlWhere.ListedCenters();
        location?.AppendTo(where);
        filter?.AppendTo(where, clock);
        // The SQL text is built only from fixed fragments; every value is an NpgsqlParameter.
        var sql = PageChildrenSql.CenterSelect(db.Model) + "\nFROM centers c WHERE " + where.Sql;
        return db.Centers.FromSqlRaw(sql, where.Parameters.ToArray<object>()).AsNoTracking();
    }

    public async Task<SearchPage> SearchAsync(SearchLocation location, CenterFilter? filter, SearchOrder? requestedOrder, int first, string? after,
        CancellationToken cancellationToken, PageChildren? children = null)
    {
        var order = requestedOrder ?? (location.Origin is null ? SearchOrder.Name : SearchOrder.Distance);
        if (order == SearchOrder.Distance && location.Origin is null)
            throw Errors.BadUserInput("Ordering by distance needs near, nearZip, nearCity or servesLocation.", "orderBy");
        var cursor = after is null ? null : SearchCursor.Decode(after, order);
        // Each statement takes a pooled connection and gives it back (no reset: DatabaseSetup.ApiSessions), so none is
        // held while GraphQL resolves and writes the page: the pool is small on purpose (Operations/ConnectionDefaults).

        // Built when used: a nearest-first page that asks for no totalCount never needs it.
        IQueryable<Center> Source() => Filtered(location, filter);
        List<Row> page;
        if (order == SearchOrder.Distance)
        {
            var hits = await NearestFirstAsync(location, filter, cursor, first, children ?? PageChildren.None, cancellationToken);
            page = [.. hits.Select(h => new Row { Center = h, Meters = h.Meters })];
        }
        else
        {
            var rows = location.Origin is { } origin
                ? Source().Select(c => new Row { Center = c, Meters = EF.Functions.DistanceKnn(c.Location, origin) })
                : Source().Select(c => new Row { Center = c, Meters = null });
            rows = order == SearchOrder.Name
                ? After(rows, cursor).OrderBy(r => r.Center.Name).ThenBy(r => r.Center.Id)
                : After(rows, cursor).OrderBy(r => r.Center.LastVerifiedAt == null).ThenByDescending(r => r.Center.LastVerifiedAt).ThenBy(r => r.Center.Id);
            page = await rows.Take(first + 1).ToListAsync(cancellationToken);
        }
        var more = page.Count > first;
        if (more) page.RemoveAt(first);
        var edges = page.Select(r => new SearchEdge(order, r)).ToList();
        var pageInfo = new PageInfo(more, cursor is not null, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor);
        return new SearchPage(edges, pageInfo, location, () => Source().CountAsync(cancellationToken),
            () => FacetsAsync(location, filter, cancellationToken));
    }

    /// <summary>Rows after the cursor, in the order's own terms (ties broken by id).</summary>
    private static IQueryable<Row> After(IQueryable<Row> rows, SearchCursor? cursor)
    {
        if (cursor is null) return rows;
        var id = cursor.Id;
        switch (cursor.Order)
        {
            case SearchOrder.Name:
                var name = cursor.Name!;
                return rows.Where(r => string.Compare(r.Center.Name, name) > 0 || (r.Center.Name == name && r.Center.Id > id));
            default:
                if (cursor.VerifiedAt is { } verified)
                    return rows.Where(r => r.Center.LastVerifiedAt == null || r.Center.LastVerifiedAt < verified
                        || (r.Center.LastVerifiedAt == verified && r.Center.Id > id));
                return rows.Where(r => r.Center.LastVerifiedAt == null && r.Center.Id > id);
        }
    }

    /// <summary>Counts per facet value, each facet without its own filter, in one statement.</summary>
    public async Task<IReadOnlyDictionary<Facet, IReadOnlyList<FacetCount>>> FacetsAsync(SearchLocation location, CenterFilter? filter,
        CancellationToken cancellationToken)
    {
        var where = SqlWhere.ListedCenters();
        location.AppendTo(where);
        filter?.AppendTo(where, clock, facet => facet is null);
        var facets = Enum.GetValues<Facet>();
        var own = facets.ToDictionary(f => f, f => where.Group(w => filter?.AppendTo(w, clock, facet => facet == f)));
        var columns = new Dictionary<Facet, string>
        {
            [Facet.Services] = "search_services",
            [Facet.Tracks] = "search_tracks",
            [Facet.PayerTypes] = "payer_types",
            [Facet.Populations] = "populations",
            [Facet.LevelsOfCare] = "levels_of_care",
        };
        var sql = new StringBuilder("WITH base AS (SELECT ");
        sql.AppendJoin(", ", facets.Select(f => $"c.{columns[f]} AS v_{(int)f}, ({own[f]}) AS m_{(int)f}"));
        sql.Append($" FROM centers c WHERE {where.Sql})\n");
        sql.AppendJoin("\nUNION ALL\n", facets.Select(f =>
            $"SELECT {(int)f} AS facet, value, count(*)::int AS count FROM base, unnest(base.v_{(int)f}) AS value WHERE "
            + string.Join(" AND ", facets.Where(o => o != f).Select(o => $"m_{(int)o}").DefaultIfEmpty("TRUE")) + " GROUP BY value"));

        var counts = facets.ToDictionary(f => f, _ => new Dictionary<string, int>());
        var rows = await db.Database.SqlQueryRaw<FacetRow>(sql.ToString(), where.Parameters.ToArray<object>()).ToListAsync(cancellationToken);
        foreach (var row in rows) counts[(Facet)row.Facet][row.Value] = row.Count;
        return Vocabulary.ToDictionary(v => v.Key, v => (IReadOnlyList<FacetCount>)v.Value
            .Select(term => new FacetCount(term.Value, term.Label, counts[v.Key].GetValueOrDefault(term.Stored)))
            .ToList());
    }

    /// <summary>Grid clusters for a map viewport: cells of 1/4 of a web-map tile at the zoom level.</summary>
    public async Task<IReadOnlyList<MapCluster>> ClustersAsync(BoundingBoxInput box, int zoom, CenterFilter? filter, CancellationToken cancellationToken)
    {
        var where = SqlWhere.ListedCenters();
        SearchLocation.AppendBox(where, box);
        filter?.AppendTo(where, clock);
        var cell = where.Parameter(360.0 / Math.Pow(2, zoom) / 4);
        var sql = $"""
            SELECT count(*)::int AS count,
                   -- a mean of equal doubles can land one rounding step outside them: clamp it
                   least(greatest(avg(ST_Y(c.position)), min(ST_Y(c.position))), max(ST_Y(c.position))) AS latitude,
                   least(greatest(avg(ST_X(c.position)), min(ST_X(c.position))), max(ST_X(c.position))) AS longitude,
                   min(ST_Y(c.position)) AS south, min(ST_X(c.position)) AS west,
                   max(ST_Y(c.position)) AS north, max(ST_X(c.position)) AS east, min(c.id) AS sample_id
            FROM centers c
            WHERE {where.Sql}
            GROUP BY floor(ST_X(c.position) / {cell}), floor(ST_Y(c.position) / {cell})
            ORDER BY 1 DESC, 2, 3
            LIMIT {MaxClusters}
            """;
        var rows = await db.Database.SqlQueryRaw<ClusterRow>(sql, where.Parameters.ToArray<object>()).ToListAsync(cancellationToken);
        var clusters = rows.Select(r => new MapCluster(r.Count, r.Latitude, r.Longitude, r.South, r.West, r.North, r.East,
            r.Count == 1 ? r.SampleId : null)).ToList();
        return clusters;
    }

    private static readonly Dictionary<Facet, List<(string Value, string Stored, string Label)>> Vocabulary = new()
    {
        [Facet.Services] = Taxonomy.ServiceCatalog.All.Select(s => (s.Code, s.Code, s.Label)).ToList(),
        [Facet.Tracks] = Terms<Programs.TrackKind>(),
        [Facet.PayerTypes] = Terms<Insurance.PayerType>(),
        [Facet.Populations] = Terms<Taxonomy.Population>(),
        [Facet.LevelsOfCare] = Terms<Taxonomy.LevelOfCare>(),
    };

    private static List<(string, string, string)> Terms<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => (Taxonomy.Labels.ConstantCase(v), v.ToString(), Taxonomy.Labels.Of(v))).ToList();

    /// <summary>A result row (a class with init members: EF translates member access on those).</summary>
    public sealed class Row
    {
        public required Center Center { get; init; }
        public double? Meters { get; init; }
    }

    private sealed class FacetRow
    {
        public int Facet { get; init; }
        public string Value { get; init; } = "";
        public int Count { get; init; }
    }

    private sealed class ClusterRow
    {
        public int Count { get; init; }
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public double South { get; init; }
        public double West { get; init; }
        public double North { get; init; }
        public double East { get; init; }
        public int SampleId { get; init; }
    }
}

/// <summary>An opaque keyset cursor: the order it belongs to, the sort key and the id.</summary>
public sealed record SearchCursor(SearchOrder Order, int Id, double? Meters = null, string? Name = null, DateTimeOffset? VerifiedAt = null)
{
    private static readonly JsonSerializerOptions Compact = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string Encode(SearchOrder order, CenterSearch.Row row) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new SearchCursor(order, row.Center.Id,
            order == SearchOrder.Distance ? row.Meters : null,
            order == SearchOrder.Name ? row.Center.Name : null,
            order == SearchOrder.RecentlyVerified ? row.Center.LastVerifiedAt : null), Compact));

    public static SearchCursor Decode(string value, SearchOrder order)
    {
        SearchCursor? cursor = null;
        try
        {
            if (value.Length <= 1_000) cursor = JsonSerializer.Deserialize<SearchCursor>(Base64Url.DecodeFromChars(value));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
        }
        var valid = cursor is not null && cursor.Order == order && order switch
        {
            SearchOrder.Distance => cursor.Meters is { } m && double.IsFinite(m),
            SearchOrder.Name => cursor.Name is not null,
            _ => true,
        };
        return valid ? cursor! : throw Errors.BadUserInput("`after` is not a cursor of this search and order.", "after");
    }
}
