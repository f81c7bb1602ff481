using System.Data.Common;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Geo;
using IopDirectory.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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

    /// <summary>The parameters with the key collection replaced by <paramref name="ids"/>; null when the SQL does not take the keys as one array.</summary>
    public NpgsqlParameter[]? WithIds(int[] ids)
    {
        var keys = Parameters.Count(p => p.Value is IEnumerable<int>);
        if (keys != 1) return null;
        return [.. Parameters.Select(p =>
        {
            var clone = p.Clone();
            if (clone.Value is IEnumerable<int>) clone.Value = ids;
            return clone;
        })];
    }

    public string Display()
    {
        var values = Parameters.Select(p => $"-- @{p.ParameterName} ({p.DataTypeName ?? p.NpgsqlDbType.ToString()}) = {Format(p.Value)}");
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
    /// programs with tracks, read with the page), then the phones loader for the page, with an interceptor that records
    /// each command EF sends. The loader must send nothing: the page brought the rows.
    /// </summary>
    public static async Task<EfStatements> CaptureAsync(string connectionString, Variant variant, QueryPoint point, CancellationToken ct)
    {
        var capture = new Capture();
        var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<DirectoryDbContext>(), connectionString).AddInterceptors(capture).Options;
        await using var db = new DirectoryDbContext(options);
        var loaders = new CenterLoaders(db);
        var search = new CenterSearch(db, TimeProvider.System, loaders);
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
        if (capture.Commands.Count != 1)
            throw new InvalidOperationException($"The API's search sent {capture.Commands.Count} statements for the canonical selection; expected 1.");
        return new EfStatements(capture.Commands[0], page.Edges.Count);
    }

    private sealed class Capture : DbCommandInterceptor
    {
        public List<CapturedCommand> Commands { get; } = [];

        private void Add(DbCommand command) =>
            Commands.Add(new CapturedCommand(command.CommandText, [.. command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone())]));

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Add(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Add(command);
            return ValueTask.FromResult(result);
        }
    }
}
