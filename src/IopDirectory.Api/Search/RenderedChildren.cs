using System.Text.Json;
using System.Text.Json.Serialization;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using IopDirectory.Auth;
using IopDirectory.Centers;
using IopDirectory.Programs;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IopDirectory.Search;

/// <summary>
/// A search page's phones and programs written into the response straight from the page's JSON, when the selection
/// under them is plain enough to write without resolvers: fields without arguments, directives or fragments, each a
/// column as it stands (a name, a number, a flag), an enum, <c>__typename</c>, or a program's tracks.
/// <para>
/// Why: a results card shows each centre's phones and its programs with their tracks, about 13 objects and scalars per
/// centre. Resolving them one by one through GraphQL.NET (a node, a resolver, a completion each), after reading the
/// JSON into entities, was over a third of the API's own CPU per search at 1M centres (0.27 of 0.70 ms); copying the
/// JSON into the response under the selection's names is a fraction of that (tests/IopDirectory.Benchmarks, README).
/// </para>
/// <para>
/// Exact by construction: only the fields listed here qualify, each reading the column PageChildrenSql reads for it (one
/// map, so the keys agree), checked against the schema (its type, its nullability against the column's, no field-level
/// roles); a selection with anything else is resolved as before.
/// Tests compare every such selection with <c>center(id)</c>, which goes through the resolvers.
/// </para>
/// </summary>
public sealed class RenderedChildren
{
    /// <summary>The one <c>phones</c> field under the page's nodes, when its selection can be rendered.</summary>
    public RowPlan? Phones { get; private init; }

    /// <summary>The one <c>programs</c> field under the page's nodes, when its selection can be rendered.</summary>
    public RowPlan? Programs { get; private init; }

    /// <summary>The plan for the page's phones and programs fields (each the only one of its name under the nodes), or null when neither qualifies.</summary>
    public static RenderedChildren? For(ISchema schema, IModel model, IReadOnlyList<GraphQLField> phones, IReadOnlyList<GraphQLField> programs)
    {
        var plan = new RenderedChildren
        {
            Phones = phones is [var phone] ? RowPlan.For(schema, model, phone, "Phone", typeof(Phone)) : null,
            Programs = programs is [var program] ? RowPlan.For(schema, model, program, "IopProgram", typeof(IopProgram)) : null,
        };
        return plan.Phones is null && plan.Programs is null ? null : plan;
    }

    /// <summary>
    /// The fields whose value is their column as it stands (the column each reads is PageChildrenSql's); not a field computed
    /// from its column, as a phone's <c>display</c> is from its number. A program's <c>tracks</c> are nested rows.
    /// </summary>
    private static readonly Dictionary<Type, HashSet<string>> AsStored = new()
    {
        [typeof(Phone)] = ["number", "kind", "extension"],
        [typeof(IopProgram)] = ["name", "description", "stepsDown", "telehealth", "inPerson"],
        [typeof(Track)] = ["kind"],
    };

    /// <summary>
    /// How to write a list field's rows: for each field of the selection, in order, its response name and what it writes.
    /// A row comes as an object keyed by column, or as the one column the selection reads (PageChildrenSql.Element).
    /// </summary>
    public sealed class RowPlan
    {
        private RowPlan(GraphQLField field, Column[] columns) => (Field, Columns) = (field, columns);

        /// <summary>The document's field this plan was made for (its very AST node).</summary>
        public GraphQLField Field { get; }

        private Column[] Columns { get; }

        /// <summary>One field of a row: a constant (<c>__typename</c>), a column as it stands, an enum's column by GraphQL name, or nested rows.</summary>
        private sealed record Column(JsonEncodedText Name, string? Typename, string? Key, Dictionary<string, string>? EnumNames, RowPlan? Rows);

        internal static RowPlan? For(ISchema schema, IModel model, GraphQLField field, string typeName, Type entity)
        {
            if (field.Arguments is { Count: > 0 } || field.Directives is { Count: > 0 } || field.SelectionSet is not { } set) return null;
            if (schema.AllTypes[typeName] is not IObjectGraphType type) return null;
            var columns = new List<Column>();
            var names = new HashSet<string>();
            foreach (var selection in set.Selections)
            {
                if (selection is not GraphQLField { Arguments: null or { Count: 0 }, Directives: null or { Count: 0 } } child) return null;
                var fieldName = child.Name.StringValue;
                var responseName = child.Alias?.Name.StringValue ?? fieldName;
                if (!names.Add(responseName)) return null;
                if (fieldName == "__typename")
                {
                    if (child.SelectionSet is not null) return null;
                    columns.Add(new(JsonEncodedText.Encode(responseName), type.Name, null, null, null));
                    continue;
                }
                if (type.GetField(fieldName) is not { } definition || definition.RequiredRoles() is not null) return null;
                if (entity == typeof(IopProgram) && fieldName == "tracks")
                {
                    if (For(schema, model, child, "Track", typeof(Track)) is not { } tracks) return null;
                    columns.Add(new(JsonEncodedText.Encode(responseName), null, PageChildrenSql.TracksKey, null, tracks));
                    continue;
                }
                if (child.SelectionSet is not null || !AsStored[entity].Contains(fieldName)
                    || PageChildrenSql.PropertyRead(model, entity, fieldName) is not { } property)
                    return null;
                var graphType = definition.ResolvedType!;
                var nonNull = graphType is NonNullGraphType;
                if (graphType is NonNullGraphType wrapped) graphType = wrapped.ResolvedType!;
                if (nonNull && property.IsNullable) return null;
                var column = PageChildrenSql.ColumnName(property);
                switch (graphType)
                {
                    case StringGraphType when property.ClrType == typeof(string):
                    case BooleanGraphType when property.ClrType == typeof(bool):
                        columns.Add(new(JsonEncodedText.Encode(responseName), null, column, null, null));
                        break;
                    case EnumerationGraphType enumType when property.ClrType.IsEnum:
                        var converter = property.GetTypeMapping().Converter;
                        var byStored = enumType.Values.ToDictionary(
                            v => converter?.ConvertToProvider(v.Value) as string ?? v.Value!.ToString()!, v => v.Name, StringComparer.Ordinal);
                        columns.Add(new(JsonEncodedText.Encode(responseName), null, column, byStored, null));
                        break;
                    default:
                        return null;
                }
            }
            return new RowPlan(field, [.. columns]);
        }

        /// <summary>Writes the rows (a JSON array from the page) as the selection asks for them.</summary>
        public void Write(Utf8JsonWriter writer, JsonElement rows)
        {
            writer.WriteStartArray();
            foreach (var row in rows.EnumerateArray())
            {
                writer.WriteStartObject();
                foreach (var column in Columns)
                {
                    writer.WritePropertyName(column.Name);
                    if (column.Typename is { } typename)
                    {
                        writer.WriteStringValue(typename);
                        continue;
                    }
                    var value = row.ValueKind == JsonValueKind.Object ? row.GetProperty(column.Key!) : row;
                    if (column.Rows is { } nested)
                        nested.Write(writer, value);
                    else if (column.EnumNames is { } enumNames && value.ValueKind == JsonValueKind.String)
                        writer.WriteStringValue(enumNames.TryGetValue(value.GetString()!, out var name) ? name
                            : throw new InvalidOperationException($"'{value.GetString()}' is not a value of the enum written at '{column.Name}'."));
                    else
                        value.WriteTo(writer);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
    }
}

/// <summary>One centre's phones or programs from the page, with the plan that writes them (<see cref="SearchHit.RenderedValue"/>).</summary>
[JsonConverter(typeof(Converter))]
public sealed class RenderedRows(RenderedChildren.RowPlan plan, JsonElement rows)
{
    public RenderedChildren.RowPlan Plan { get; } = plan;

    public JsonElement Rows { get; } = rows;

    private sealed class Converter : JsonConverter<RenderedRows>
    {
        public override RenderedRows Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Rendered rows are only written.");

        public override void Write(Utf8JsonWriter writer, RenderedRows value, JsonSerializerOptions options) => value.Plan.Write(writer, value.Rows);
    }
}
