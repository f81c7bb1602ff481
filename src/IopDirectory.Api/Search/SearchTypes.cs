using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using IopDirectory.Centers;
using IopDirectory.Geo;
using IopDirectory.GraphQL;

namespace IopDirectory.Search;

public sealed class GeoPointInputType : InputObjectGraphType<GeoPointInput>
{
    public GeoPointInputType()
    {
        Name = "GeoPointInput";
        Description = "A point in WGS 84 degrees.";
        Field(p => p.Latitude).Description("Latitude, -90 to 90.");
        Field(p => p.Longitude).Description("Longitude, -180 to 180.");
    }
}

public sealed class CityInputType : InputObjectGraphType<CityInput>
{
    public CityInputType()
    {
        Name = "CityInput";
        Description = "A US city; its centroid is the median of its ZIP centroids.";
        Field(c => c.City).Description("City name, e.g. Scottsdale (case-insensitive).");
        Field(c => c.State).Description("USPS state code, e.g. AZ.");
    }
}

public sealed class DistanceUnitType : EnumerationGraphType<DistanceUnit>
{
    public DistanceUnitType()
    {
        Name = "DistanceUnit";
        Description = "A unit of distance.";
        foreach (var value in Values) value.Description = value.Value?.ToString();
    }
}

public sealed class DistanceInputType : InputObjectGraphType<DistanceInput>
{
    public DistanceInputType()
    {
        Name = "DistanceInput";
        Description = "A distance: above 0 and at most 500 km.";
        Field(d => d.Value).Description("How far.");
        Field<DistanceUnitType>("unit").Description("In miles (default) or kilometers.").DefaultValue(DistanceUnit.Miles);
    }
}

public sealed class BoundingBoxInputType : InputObjectGraphType<BoundingBoxInput>
{
    public BoundingBoxInputType()
    {
        Name = "BoundingBoxInput";
        Description = "A map viewport in degrees. When west is greater than east the box crosses the antimeridian (180°).";
        Field(b => b.South).Description("Southern latitude.");
        Field(b => b.West).Description("Western longitude.");
        Field(b => b.North).Description("Northern latitude.");
        Field(b => b.East).Description("Eastern longitude.");
    }
}

public sealed class SearchOrderType : EnumerationGraphType<SearchOrder>
{
    public SearchOrderType()
    {
        Name = "SearchOrder";
        Description = "How search results are ordered; ties are broken by id so pages are stable.";
        Values["DISTANCE"]!.Description = "Nearest first (the default when the search has a point).";
        Values["NAME"]!.Description = "By name (the default otherwise).";
        Values["RECENTLY_VERIFIED"]!.Description = "Most recently verified first; never-verified last.";
    }
}

public sealed record Distance(double Meters);

public sealed class DistanceType : ObjectGraphType<Distance>
{
    public DistanceType()
    {
        Name = "Distance";
        Description = "A great-circle distance (PostGIS geography on the mean-radius sphere).";
        Field(d => d.Meters).Description("In metres.");
        Field<NonNullGraphType<FloatGraphType>>("kilometers").Description("In kilometres.").Resolve(c => c.Source.Meters / 1000);
        Field<NonNullGraphType<FloatGraphType>>("miles").Description("In statute miles.").Resolve(c => c.Source.Meters / Distances.MetersPerMile);
    }
}

public sealed class CenterSearchEdgeType : ObjectGraphType<SearchEdge>
{
    public CenterSearchEdgeType()
    {
        Name = "CenterSearchEdge";
        Description = "A centre found by a search, with its distance from the search point.";
        Field(e => e.Cursor).Description("Opaque position; pass it as `after` for the next page.");
        Field<NonNullGraphType<CenterType>>("node").Description("The centre.").Resolve(c => c.Source.Node);
        Field<DistanceType>("distance").Description("From the search point; null when the search has no point.")
            .Resolve(c => c.Source.Meters is { } m ? new Distance(m) : null);
    }
}

public sealed class FacetCountType : ObjectGraphType<FacetCount>
{
    public FacetCountType()
    {
        Name = "FacetCount";
        Description = "How many centres the search would return with this value chosen.";
        Field(f => f.Value).Description("The value as filters take it.");
        Field(f => f.Label).Description("Human label.");
        Field(f => f.Count).Description("Matching centres.");
    }
}

public sealed class SearchFacetsType : ObjectGraphType<IReadOnlyDictionary<Facet, IReadOnlyList<FacetCount>>>
{
    public SearchFacetsType()
    {
        Name = "SearchFacets";
        Description = "Counts for a filter sidebar: each facet counts the same search without that facet's own filter.";
        Add("services", Facet.Services, "Per service code (all-of filter `services` and `anyServices` left out).");
        Add("tracks", Facet.Tracks, "Per track kind.");
        Add("payerTypes", Facet.PayerTypes, "Per payer type.");
        Add("populations", Facet.Populations, "Per population served.");
        Add("levelsOfCare", Facet.LevelsOfCare, "Per level of care.");
    }

    private void Add(string name, Facet facet, string description) =>
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FacetCountType>>>>(name).Description(description).Resolve(c => c.Source[facet]);
}

public sealed class CenterSearchConnectionType : ObjectGraphType<SearchPage>
{
    public CenterSearchConnectionType()
    {
        Name = "CenterSearchConnection";
        Description = "A page of search results, with the total, facets and a GeoJSON layer of the page.";
        Field<NonNullGraphType<IntGraphType>>("totalCount").Description("Matches across all pages.")
            .ResolveAsync(async c => await c.Source.CountAsync());
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Cursors and whether more pages exist.").Resolve(c => c.Source.PageInfo);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CenterSearchEdgeType>>>>("edges").Description("The results with cursor and distance.")
            .Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CenterType>>>>("nodes").Description("The results, without cursors.")
            .Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<SearchFacetsType>>("facets").Description("Counts per facet value (one more SQL statement).")
            .ResolveAsync(async c => await c.Source.FacetsAsync());
        Field<GeoJsonPointType>("origin").Description("The point distances are measured from (the ZIP or city centroid when searching by those).")
            .Resolve(c => c.Source.Location.Origin);
        Field<DistanceType>("radius").Description("The radius applied, when there is one (25 miles by default around a point).")
            .Resolve(c => c.Source.Location.RadiusMeters is { } m ? new Distance(m) : null);
        Field<NonNullGraphType<GeoJsonScalar>>("geoJson").Description("This page as a GeoJSON FeatureCollection of points, for map layers.")
            .Resolve(c => FeatureCollection(c.Source.Edges));
    }

    private static System.Text.Json.JsonElement FeatureCollection(IEnumerable<SearchEdge> edges)
    {
        var features = new JsonArray();
        foreach (var edge in edges)
        {
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["id"] = GlobalId.Encode(CenterType.TypeName, edge.Node.Id),
                ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(edge.Node.Longitude, edge.Node.Latitude) },
                ["properties"] = new JsonObject
                {
                    ["name"] = edge.Node.Name,
                    ["city"] = edge.Node.Address.City,
                    ["state"] = edge.Node.Address.State,
                    ["acceptingNewPatients"] = edge.Node.AcceptingNewPatients,
                    ["distanceMeters"] = edge.Meters,
                },
            });
        }
        return System.Text.Json.JsonSerializer.SerializeToElement(new JsonObject { ["type"] = "FeatureCollection", ["features"] = features });
    }
}

public sealed class MapClusterType : ObjectGraphType<MapCluster>
{
    public MapClusterType()
    {
        Name = "MapCluster";
        Description = "Centres grouped in one grid cell of the viewport: draw one marker with the count.";
        Field(c => c.Count).Description("Centres in the cell.");
        Field(c => c.Latitude).Description("Mean latitude of the cell's centres.");
        Field(c => c.Longitude).Description("Mean longitude of the cell's centres.");
        Field<NonNullGraphType<GeoJsonPointType>>("location").Description("The same point as GeoJSON.")
            .Resolve(c => new NetTopologySuite.Geometries.Point(c.Source.Longitude, c.Source.Latitude) { SRID = 4326 });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FloatGraphType>>>>("bounds")
            .Description("[west, south, east, north] of the cell's centres: zoom the map to it on click.")
            .Resolve(c => new[] { c.Source.West, c.Source.South, c.Source.East, c.Source.North });
        Field<IdGraphType>("centerId").Description("The centre's id when the cell holds exactly one.")
            .Resolve(c => c.Source.CenterId is { } id ? GlobalId.Encode(CenterType.TypeName, id) : null);
    }
}

public static class SearchQueries
{
    public const int MaxZoom = 22;

    public static void AddSearchQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<CenterSearchConnectionType>>("searchCenters")
            .Description("Centres near a point, a ZIP or a city (within a radius, 25 miles by default, at most 500 km), in a map viewport, "
                + "in a GeoJSON area, or whose telehealth service area covers a point; filtered, with distances and facets.")
            .Argument<GeoPointInputType>("near", "Search around this point.")
            .Argument<StringGraphType>("nearZip", "Search around this ZIP code's centroid, e.g. 85251.")
            .Argument<CityInputType>("nearCity", "Search around this city's centroid.")
            .Argument<DistanceInputType>("radius", "How far from the point (default 25 miles around a point; at most 500 km).")
            .Argument<BoundingBoxInputType>("boundingBox", "Only centres inside this map viewport.")
            .Argument<GeoJsonScalar>("area", "Only centres inside this GeoJSON Polygon or MultiPolygon (at most 10,000 vertices).")
            .Argument<GeoPointInputType>("servesLocation", "Only centres whose service area (telehealth) covers this point; distance is from it.")
            .Argument<CenterFilterInputType>("filter", "What the centres must offer.")
            .Argument<SearchOrderType>("orderBy", "Result order: DISTANCE by default when there is a point, NAME otherwise.")
            .Argument<IntGraphType>("first", $"Page size, 1 to {PageRequest.MaxPageSize} (default {PageRequest.DefaultPageSize}).")
            .Argument<StringGraphType>("after", "Return results after this cursor.")
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument<int?>("first") ?? PageRequest.DefaultPageSize;
                if (first is < 1 or > PageRequest.MaxPageSize)
                    throw Errors.BadUserInput($"`first` must be between 1 and {PageRequest.MaxPageSize} (got {first}).", "first");
                var filter = c.GetArgument<CenterFilter?>("filter");
                filter?.Check();
                var location = SearchLocation.Resolve(
                    c.GetArgument<GeoPointInput?>("near"), c.GetArgument<string?>("nearZip"), c.GetArgument<CityInput?>("nearCity"),
                    c.GetArgument<DistanceInput?>("radius"), c.GetArgument<BoundingBoxInput?>("boundingBox"), c.GetArgument<object?>("area"),
                    c.GetArgument<GeoPointInput?>("servesLocation"), c.RequestServices!.GetRequiredService<ZipCentroids>());
                return await c.RequestServices!.GetRequiredService<CenterSearch>().SearchAsync(
                    location, filter, c.GetArgument<SearchOrder?>("orderBy"), first, c.GetArgument<string?>("after"), c.CancellationToken,
                    PageChildren.Selected(c));
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MapClusterType>>>>("clusters")
            .Description($"Grid clusters (count and centroid) of the centres in a map viewport, computed in PostGIS: at most {CenterSearch.MaxClusters} cells, largest first.")
            .Argument<NonNullGraphType<BoundingBoxInputType>>("boundingBox", "The map viewport.")
            .Argument<NonNullGraphType<IntGraphType>>("zoom", $"The web-map zoom level, 0 to {MaxZoom}; a cell is a quarter of a tile.")
            .Argument<CenterFilterInputType>("filter", "What the centres must offer.")
            .ResolveAsync(async c =>
            {
                var zoom = c.GetArgument<int>("zoom");
                if (zoom is < 0 or > MaxZoom)
                    throw Errors.BadUserInput($"zoom must be between 0 and {MaxZoom} (got {zoom}).", "zoom");
                var box = SearchLocation.CheckBox(c.GetArgument<BoundingBoxInput>("boundingBox"), "boundingBox");
                var filter = c.GetArgument<CenterFilter?>("filter");
                filter?.Check();
                return await c.RequestServices!.GetRequiredService<CenterSearch>().ClustersAsync(box, zoom, filter, c.CancellationToken);
            });
    }
}
