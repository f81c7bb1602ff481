using System.Text.Json;
using GraphQL.Types;
using GraphQLParser.AST;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace IopDirectory.Geo;

/// <summary>A GeoJSON Point object: <c>{ type: "Point", coordinates: [longitude, latitude] }</c>.</summary>
public sealed class GeoJsonPointType : ObjectGraphType<Point>
{
    public GeoJsonPointType()
    {
        Name = "GeoJSONPoint";
        Description = "A GeoJSON Point (RFC 7946): coordinates are [longitude, latitude] in WGS 84.";
        Field<NonNullGraphType<StringGraphType>>("type").Description("Always \"Point\".").Resolve(_ => "Point");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FloatGraphType>>>>("coordinates")
            .Description("[longitude, latitude].")
            .Resolve(c => new[] { c.Source.X, c.Source.Y });
    }
}

/// <summary>Any GeoJSON geometry as a JSON object (output only).</summary>
public sealed class GeoJsonScalar : ScalarGraphType
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new GeoJsonConverterFactory() } };

    public GeoJsonScalar()
    {
        Name = "GeoJSON";
        Description = "A GeoJSON geometry object (RFC 7946), WGS 84 coordinates as [longitude, latitude].";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        Geometry geometry => JsonSerializer.SerializeToElement(geometry, Options),
        JsonElement element => element,
        _ => ThrowSerializationError(value),
    };

    public override object? ParseValue(object? value) => value is null ? null : ThrowValueConversionError(value);

    public override object? ParseLiteral(GraphQLValue value) => value is GraphQLNullValue ? null : ThrowLiteralConversionError(value);
}
