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

/// <summary>The four statements an API request for the canonical query sends, captured from the API's own code.</summary>
public sealed record EfStatements(CapturedCommand Page, CapturedCommand? Phones, CapturedCommand? Programs, CapturedCommand? Tracks, int PageRows)
{
    /// <summary>
    /// Runs <see cref="CenterSearch.SearchAsync"/> and the <see cref="CenterLoaders"/> for the page, exactly as the
    /// API's resolvers do, with an interceptor that records each command EF sends.
    /// </summary>
    public static async Task<EfStatements> CaptureAsync(string connectionString, Variant variant, QueryPoint point, CancellationToken ct)
    {
        var capture = new Capture();
        var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<DirectoryDbContext>(), connectionString).AddInterceptors(capture).Options;
        await using var db = new DirectoryDbContext(options);
        var search = new CenterSearch(db, TimeProvider.System);
        var location = SearchLocation.Resolve(new GeoPointInput(point.Latitude, point.Longitude), null, null,
            new DistanceInput(Variant.RadiusMiles, DistanceUnit.Miles), null, null, null, new ZipCentroids([]));
        variant.Filter?.Check();
        var page = await search.SearchAsync(location, variant.Filter, null, Variant.PageSize, null, ct);
        var pageCommand = capture.Commands.Single();
        if (page.Edges.Count == 0)
            return new EfStatements(pageCommand, null, null, null, 0);

        var loaders = new CenterLoaders(db);
        var phones = page.Edges.Select(e => loaders.Phones.Load(e.Node.Id)).ToList();
        var programs = page.Edges.Select(e => loaders.Programs.Load(e.Node.Id)).ToList();
        await phones[0].GetResultAsync(ct);
        var phonesCommand = capture.Commands[1];
        var programList = new List<Programs.IopProgram>();
        foreach (var result in programs) programList.AddRange(await result.GetResultAsync(ct));
        var programsCommand = capture.Commands[2];
        CapturedCommand? tracksCommand = null;
        if (programList.Count > 0)
        {
            var tracks = programList.Select(p => loaders.Tracks.Load(p.Id)).ToList();
            await tracks[0].GetResultAsync(ct);
            tracksCommand = capture.Commands[3];
        }
        return new EfStatements(pageCommand, phonesCommand, programsCommand, tracksCommand, page.Edges.Count);
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
