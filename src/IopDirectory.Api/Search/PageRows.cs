using System.Collections;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using IopDirectory.Centers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IopDirectory.Search;

/// <summary>
/// The centre columns a nearest-first page reads, and how each lands on a <see cref="SearchHit"/>. The page statement
/// selects the columns its fields read and no others (<see cref="PageChildrenSql.CenterPropertiesRead"/>), and this reads
/// them with the column names and value conversions of the EF model, so a page with a name and a distance neither sends
/// nor reads the text arrays, service areas and descriptions nobody asked for. A property the page does not read keeps
/// the value <see cref="SearchHit"/> starts with; no field of the selection reads it.
/// <para>
/// Why not EF's own materializer: EF reads every mapped column, so the statement had to send a stand-in for each unread
/// one (25 for a search card), which cost PostgreSQL a third of the page's time, and EF's query pipeline cost the API
/// process about a sixth of a search request's CPU (tests/IopDirectory.Benchmarks/README.md).
/// </para>
/// </summary>
public sealed class PageRows
{
    private const int MaxShapes = 1_000;
    /// <summary>Shapes per model (column names and converters are the model's), keyed by the properties read.</summary>
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<string, PageRows>> ShapesByModel = new();

    private readonly (int Ordinal, Action<DbDataReader, int, Center> Set)[] _setters;

    private PageRows(string selectList, int count, (int, Action<DbDataReader, int, Center>)[] setters) =>
        (SelectList, Count, _setters) = (selectList, count, setters);

    /// <summary>The centre columns, comma-separated, on <c>centers c</c>.</summary>
    public string SelectList { get; }

    /// <summary>How many columns <see cref="SelectList"/> has: the columns after them are the statement's own.</summary>
    public int Count { get; }

    /// <summary>Per model, per set of fields read (a cached document's search field gives the same set: <see cref="PageChildren.Selected"/>).</summary>
    private static readonly ConditionalWeakTable<IModel, ConditionalWeakTable<IReadOnlySet<string>, PageRows>> BySelection = new();

    /// <summary>The columns for a page whose selection reads <paramref name="fields"/> of Center (null: every column).</summary>
    public static PageRows For(IModel model, IReadOnlySet<string>? fields) =>
        fields is null ? Shape(model, null) : BySelection.GetValue(model, _ => new()).GetValue(fields, f => Shape(model, f));

    private static PageRows Shape(IModel model, IReadOnlySet<string>? fields)
    {
        var read = fields is null ? null : PageChildrenSql.CenterPropertiesRead(fields);
        var key = read is null ? "*" : string.Join(",", read.Order(StringComparer.Ordinal));
        var shapes = ShapesByModel.GetValue(model, _ => new(StringComparer.Ordinal));
        if (shapes.TryGetValue(key, out var rows)) return rows;
        // Field names come from validated documents, so shapes are few; the bound only keeps memory finite.
        if (shapes.Count >= MaxShapes) shapes.Clear();
        return shapes.GetOrAdd(key, _ => Build(model, read));
    }

    /// <summary>A new hit with the centre columns of the reader's current row.</summary>
    public SearchHit Read(DbDataReader reader)
    {
        var hit = new SearchHit();
        foreach (var (ordinal, set) in _setters) set(reader, ordinal, hit);
        return hit;
    }

    private static PageRows Build(IModel model, IReadOnlySet<string>? read)
    {
        var type = model.FindEntityType(typeof(Center))!;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = new List<string>();
        var setters = new List<(int, Action<DbDataReader, int, Center>)>();
        foreach (var property in type.GetProperties().Where(p => p.PropertyInfo is not null && (read is null || read.Contains(p.Name))))
        {
            var get = Getter(property);
            var info = property.PropertyInfo!;
            setters.Add((columns.Count, (reader, i, center) => info.SetValue(center, reader.IsDBNull(i) ? null : get(reader, i))));
            columns.Add("c." + property.GetColumnName(table));
        }
        foreach (var complex in type.GetComplexProperties().Where(p => read is null || read.Contains(p.Name)))
        {
            var parts = complex.ComplexType.GetProperties().Select(p => (Info: p.PropertyInfo!, Get: Getter(p))).ToArray();
            var info = complex.PropertyInfo!;
            var clrType = complex.ClrType;
            setters.Add((columns.Count, (reader, first, center) =>
            {
                var value = Activator.CreateInstance(clrType)!;
                for (var k = 0; k < parts.Length; k++)
                    parts[k].Info.SetValue(value, reader.IsDBNull(first + k) ? null : parts[k].Get(reader, first + k));
                info.SetValue(center, value);
            }));
            columns.AddRange(complex.ComplexType.GetProperties().Select(p => "c." + p.GetColumnName(table)));
        }
        return new PageRows(string.Join(", ", columns), columns.Count, [.. setters]);
    }

    /// <summary>Reads a non-null column as the property's CLR value, converting as the EF model says (enums stored as text).</summary>
    private static Func<DbDataReader, int, object> Getter(IProperty property)
    {
        if (property.GetElementType() is { } element)
        {
            // A primitive collection (text[]): each element converted, into the property's list type.
            var convert = element.GetTypeMapping().Converter;
            var listType = property.ClrType;
            return (reader, i) =>
            {
                var list = (IList)Activator.CreateInstance(listType)!;
                foreach (var item in (Array)reader.GetValue(i))
                    list.Add(convert is null ? item : convert.ConvertFromProvider(item));
                return list;
            };
        }
        if (property.GetTypeMapping().Converter is { } converter)
            return (reader, i) => converter.ConvertFromProvider(reader.GetValue(i))!;
        var clr = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        if (clr == typeof(DateTimeOffset))
            return (reader, i) => reader.GetFieldValue<DateTimeOffset>(i);
        // text, integers, booleans, xid (uint) and geography (NetTopologySuite) come as the property's own type.
        return (reader, i) => reader.GetValue(i);
    }
}
