using System.Text.Json;
using IopDirectory.Data;
using IopDirectory.Geo;
using IopDirectory.GraphQL;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NpgsqlTypes;

namespace IopDirectory.Search;

public sealed record GeoPointInput(double Latitude, double Longitude);

public sealed record CityInput(string City, string State);

public enum DistanceUnit
{
    Miles,
    Kilometers,
}

public sealed record DistanceInput(double Value, DistanceUnit Unit = DistanceUnit.Miles)
{
    public double Meters => Unit == DistanceUnit.Miles ? Value * Distances.MetersPerMile : Value * 1000;
}

public sealed record BoundingBoxInput(double South, double West, double North, double East);

public static class Distances
{
    public const double MetersPerMile = 1609.344;
    public const double DefaultRadiusMiles = 25;
    public const double MaxRadiusMeters = 500_000;
}

/// <summary>
/// Where a search looks, checked and resolved: an origin (a point, a ZIP or a city centroid) that
/// orders results by distance, optionally a radius around it, a map viewport or a GeoJSON area, or
/// the point a telehealth service area must cover.
/// </summary>
public sealed class SearchLocation
{
    public const int MaxAreaVertices = 10_000;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(Factory) } };

    public Point? Origin { get; private init; }
    public double? RadiusMeters { get; private init; }
    public BoundingBoxInput? BoundingBox { get; private init; }
    public Geometry? Area { get; private init; }
    public bool ServesOrigin { get; private init; }

    public static SearchLocation Resolve(GeoPointInput? near, string? nearZip, CityInput? nearCity, DistanceInput? radius,
        BoundingBoxInput? boundingBox, object? area, GeoPointInput? servesLocation, ZipCentroids zips)
    {
        var origins = new[] { near is not null, nearZip is not null, nearCity is not null, servesLocation is not null }.Count(x => x);
        if (origins > 1)
            throw Errors.BadUserInput("Give one of near, nearZip, nearCity or servesLocation.", "near");
        if (boundingBox is not null && area is not null)
            throw Errors.BadUserInput("Give boundingBox or area, not both.", "boundingBox");

        Point? origin = null;
        if (near is not null) origin = ToPoint(near, "near");
        else if (servesLocation is not null) origin = ToPoint(servesLocation, "servesLocation");
        else if (nearZip is not null)
        {
            var zip = nearZip.Trim();
            if (!System.Text.RegularExpressions.Regex.IsMatch(zip, @"^\d{5}(-\d{4})?$"))
                throw Errors.BadUserInput($"'{Truncate(nearZip)}' is not a ZIP code (5 digits, e.g. 85251).", "nearZip");
            var centroid = zips.FindZip(zip[..5]) ?? throw Errors.BadUserInput($"ZIP {zip[..5]} is not in the directory's ZIP table.", "nearZip");
            origin = Factory.CreatePoint(new Coordinate(centroid.Longitude, centroid.Latitude));
        }
        else if (nearCity is not null)
        {
            if (!Rules.UsStates.Contains(nearCity.State.Trim().ToUpperInvariant()))
                throw Errors.BadUserInput($"'{Truncate(nearCity.State)}' is not a US state or territory code.", "nearCity.state");
            var point = zips.FindCity(nearCity.City, nearCity.State)
                ?? throw Errors.BadUserInput($"No city named '{Truncate(nearCity.City)}' in {nearCity.State.ToUpperInvariant()} in the ZIP table.", "nearCity.city");
            origin = Factory.CreatePoint(new Coordinate(point.Longitude, point.Latitude));
        }

        double? radiusMeters = null;
        if (radius is not null)
        {
            if (origin is null || servesLocation is not null)
                throw Errors.BadUserInput("radius needs near, nearZip or nearCity.", "radius");
            if (!double.IsFinite(radius.Value) || radius.Value <= 0 || radius.Meters > Distances.MaxRadiusMeters)
                throw Errors.BadUserInput($"radius must be above 0 and at most 500 km (310.7 miles); got {radius.Value} {radius.Unit}.", "radius");
            radiusMeters = radius.Meters;
        }
        else if (origin is not null && servesLocation is null && boundingBox is null && area is null)
        {
            radiusMeters = Distances.DefaultRadiusMiles * Distances.MetersPerMile;
        }

        return new SearchLocation
        {
            Origin = origin,
            RadiusMeters = radiusMeters,
            BoundingBox = boundingBox is null ? null : CheckBox(boundingBox, "boundingBox"),
            Area = area is null ? null : ParseArea(area),
            ServesOrigin = servesLocation is not null,
        };
    }

    /// <summary>Appends the spatial clauses; all use GiST indexes (location, position or service_area).</summary>
    public void AppendTo(SqlWhere where)
    {
        if (Origin is not null)
        {
            var origin = where.Parameter(Origin, NpgsqlDbType.Geography);
            if (ServesOrigin)
                where.Add($"ST_Covers(c.service_area, {origin})");
            if (RadiusMeters is { } radius)
            {
                // The box test finds candidates through the GiST index: _ST_Expand is the box PostGIS's own
                // ST_DWithin uses for that, a superset of the sphere. The second test makes the radius exact and
                // inclusive in the very metric that is reported and sorted on (<->). Not ST_DWithin itself:
                // PostgreSQL counts its selectivity twice (as the function and as the index test it implies) and
                // believes ~100x too few centres lie in the radius, which misleads the plans of counts and facets.
                var meters = where.Parameter(radius);
                where.Add($"c.location && _ST_Expand({origin}, {meters}) AND (c.location <-> {origin}) <= {meters}");
            }
        }
        if (BoundingBox is { } box) AppendBox(where, box);
        if (Area is not null)
            where.Add($"ST_Intersects(c.position, {where.Parameter(Area, NpgsqlDbType.Geometry)})");
    }

    /// <summary>A viewport in plain lon/lat (points exactly on an edge are inside); west > east crosses the antimeridian.</summary>
    public static void AppendBox(SqlWhere where, BoundingBoxInput box)
    {
        // && finds candidates through the index (its single-precision boxes are rounded outwards, so it
        // never misses); the coordinate tests then make edges exact and inclusive, even for a box of zero size.
        string Envelope(double west, double east)
        {
            var (w, s, e, n) = (where.Parameter(west), where.Parameter(box.South), where.Parameter(east), where.Parameter(box.North));
            return $"c.position && ST_MakeEnvelope({w}, {s}, {e}, {n}, 4326) AND ST_X(c.position) BETWEEN {w} AND {e} AND ST_Y(c.position) BETWEEN {s} AND {n}";
        }
        where.Add(box.West <= box.East ? Envelope(box.West, box.East) : $"{Envelope(box.West, 180)} OR {Envelope(-180, box.East)}");
    }

    public static BoundingBoxInput CheckBox(BoundingBoxInput box, string argument)
    {
        foreach (var (name, value) in new[] { ("south", box.South), ("north", box.North) })
            if (!Rules.IsLatitude(value))
                throw Errors.BadUserInput($"{argument}.{name} must be a latitude between -90 and 90 (got {value}).", $"{argument}.{name}");
        foreach (var (name, value) in new[] { ("west", box.West), ("east", box.East) })
            if (!Rules.IsLongitude(value))
                throw Errors.BadUserInput($"{argument}.{name} must be a longitude between -180 and 180 (got {value}).", $"{argument}.{name}");
        if (box.South > box.North)
            throw Errors.BadUserInput($"{argument}.south ({box.South}) is north of {argument}.north ({box.North}).", $"{argument}.south");
        return box;
    }

    private static Point ToPoint(GeoPointInput input, string argument)
    {
        if (!Rules.IsLatitude(input.Latitude))
            throw Errors.BadUserInput($"{argument}.latitude must be between -90 and 90 (got {input.Latitude}).", $"{argument}.latitude");
        if (!Rules.IsLongitude(input.Longitude))
            throw Errors.BadUserInput($"{argument}.longitude must be between -180 and 180 (got {input.Longitude}).", $"{argument}.longitude");
        return Factory.CreatePoint(new Coordinate(input.Longitude, input.Latitude));
    }

    /// <summary>A GeoJSON Polygon or MultiPolygon (object or JSON text), checked for size, range and validity.</summary>
    private static Geometry ParseArea(object area)
    {
        Geometry? geometry;
        try
        {
            var json = area is string text ? text : JsonSerializer.Serialize(area);
            if (json.Length > 2_000_000)
                throw Errors.BadUserInput("area is too large.", "area");
            geometry = JsonSerializer.Deserialize<Geometry>(json, GeoJson);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw Errors.BadUserInput("area must be a GeoJSON Polygon or MultiPolygon.", "area");
        }

        if (geometry is not (Polygon or MultiPolygon))
            throw Errors.BadUserInput($"area must be a GeoJSON Polygon or MultiPolygon (got {geometry?.GeometryType ?? "nothing"}).", "area");
        if (geometry.NumPoints > MaxAreaVertices)
            throw Errors.BadUserInput($"area has {geometry.NumPoints} vertices; at most {MaxAreaVertices} are accepted.", "area");
        if (geometry.Coordinates.Any(c => !Rules.IsLatitude(c.Y) || !Rules.IsLongitude(c.X)))
            throw Errors.BadUserInput("area has coordinates outside longitude -180..180 or latitude -90..90.", "area");
        if (!geometry.IsValid)
            throw Errors.BadUserInput("area is not a valid polygon (self-intersecting, or rings not closed).", "area");
        geometry.SRID = 4326;
        return geometry;
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
