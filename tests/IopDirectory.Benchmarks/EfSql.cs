using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Geo;
using IopDirectory.Search;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IopDirectory.Benchmarks;

/// <summary>A SQL statement as EF sent it: text and parameters (cloned, so they can be sent again).</summary>
public sealed record CapturedCommand(string Sql, NpgsqlParameter[] Parameters)
{
    /// <summary>The parameters with every geography point replaced by <paramref name="point"/>.</summary>
    public NpgsqlParameter[] WithOrigin(QueryPoint point)
    {
        var origin = Workload.Point(point);
        return [.. Parameters.Select(p =>
        {
            var clone = p.Clone();
            if (clone.Value is NetTopologySuite.Geometries.Point) clone.Value = origin;
            return clone;
        })];
    }

    public string Display()
    {
        var values = Parameters.Select((p, i) => $"-- {(p.ParameterName.Length == 0 ? $"${i + 1}" : "@" + p.ParameterName)} ({p.DataTypeName ?? p.NpgsqlDbType.ToString()}) = {Format(p.Value)}");
        return string.Join("\n", values.Append(Sql));
    }

    private static string Format(object? value) => value switch
    {
        null or DBNull => "NULL",
        NetTopologySuite.Geometries.Point p => $"POINT({p.X:0.#####} {p.Y:0.#####})",
        string s => $"'{s}'",
        System.Collections.IEnumerable e => "{" + string.Join(",", e.Cast<object>().Take(25)) + "}",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>The statement an API request for the canonical query sends, captured from the API's own code.</summary>
public sealed record EfStatements(CapturedCommand Page, int PageRows)
{
    /// <summary>
    /// Runs <see cref="CenterSearch.SearchAsync"/> as the API's resolver does for the benchmark's selection (phones and
    /// programs with tracks, read with the page), counting the statements it sends (EF's and the page's, which goes
    /// through Npgsql directly): one. Then takes the page statement from the same code (<see cref="CenterSearch.NearestFirst"/>)
    /// and runs it once as the API does (<see cref="NearestFirstPlan"/>), so its parameters carry their database types.
    /// </summary>
    public static async Task<EfStatements> CaptureAsync(string connectionString, Variant variant, QueryPoint point, CancellationToken ct)
    {
        var statements = new SqlStatementCounter();
        var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<DirectoryDbContext>(), connectionString).AddInterceptors(statements).Options;
        await using var db = new DirectoryDbContext(options);
        var search = new CenterSearch(db, TimeProvider.System, new CenterLoaders(db), statements);
        var location = SearchLocation.Resolve(new GeoPointInput(point.Latitude, point.Longitude), null, null,
            new DistanceInput(Variant.RadiusMiles, DistanceUnit.Miles), null, null, null, new ZipCentroids([]));
        variant.Filter?.Check();
        // The benchmark's selection: phones { number } programs { name tracks { kind } }.
        var children = new PageChildren(PhoneFields: new HashSet<string> { "number" }, ProgramFields: new HashSet<string> { "name", "tracks" }, TrackFields: new HashSet<string> { "kind" }, CallRoutes: false,
            CenterFields: new HashSet<string> { "id", "name", "phones", "programs" });
        var page = await search.SearchAsync(location, variant.Filter, null, Variant.PageSize, null, ct, children);
        // The resolvers read phones and programs from the page's centres (Centers/CenterTypes.cs), no loader.
        foreach (var edge in page.Edges)
            if (edge.Node is not SearchHit { HasPrograms: true, HasPhones: true })
                throw new InvalidOperationException("The page did not bring the centres' phones and programs.");
        if (statements.Count != 1)
            throw new InvalidOperationException($"The API's search sent {statements.Count} statements for the canonical selection; expected 1.");

        var statement = search.NearestFirst(location, variant.Filter, null, Variant.PageSize, children);
        var sessions = new NpgsqlDataSourceBuilder(DatabaseSetup.ApiSessions(connectionString));
        sessions.UseNetTopologySuite();
        await using var source = sessions.Build();
        await using var connection = await source.OpenConnectionAsync(ct);
        var rows = 0;
        await using (var reader = await NearestFirstPlan.ExecuteReaderAsync(connection, null, statement.Sql, statement.Parameters, ct))
            while (await reader.ReadAsync(ct)) rows++;
        if (Math.Min(rows, Variant.PageSize) != page.Edges.Count)
            throw new InvalidOperationException($"The page statement returned {rows} rows where the API's search returned {page.Edges.Count} centres.");
        return new EfStatements(new CapturedCommand(statement.Sql, [.. statement.Parameters.Select(p => p.Clone())]), page.Edges.Count);
    }
}
