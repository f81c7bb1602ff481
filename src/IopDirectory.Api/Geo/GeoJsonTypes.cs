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
        Description = "A GeoJSON object (RFC 7946), WGS 84 coordinates as [longitude, latitude]. As input, send the object itself.";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        Geometry geometry => JsonSerializer.SerializeToElement(geometry, Options),
        JsonElement element => element,
        _ => ThrowSerializationError(value),
    };

    /// <summary>Input: a GeoJSON object (or its JSON text), checked by whoever uses it.</summary>
    public override object? ParseValue(object? value) => value;

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLObjectValue o => (o.Fields ?? []).ToDictionary(f => f.Name.StringValue, f => ParseLiteral(f.Value)),
        GraphQLListValue l => (l.Values ?? []).Select(ParseLiteral).ToList(),
        GraphQLStringValue s => s.Value.ToString(),
        GraphQLIntValue i => double.Parse(i.Value.Span, System.Globalization.CultureInfo.InvariantCulture),
        GraphQLFloatValue f => double.Parse(f.Value.Span, System.Globalization.CultureInfo.InvariantCulture),
        GraphQLBooleanValue b => b.BoolValue,
        _ => ThrowLiteralConversionError(value),
    };

    public override bool CanParseLiteral(GraphQLValue value) => true;

    public override bool CanParseValue(object? value) => true;
}
