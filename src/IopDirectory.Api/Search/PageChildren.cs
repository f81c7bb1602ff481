using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using GraphQL;
using GraphQLParser.AST;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Programs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IopDirectory.Search;

/// <summary>
/// The centre's children a search page's selection reads, so the page statement can bring them along (as JSON per
/// centre) instead of one more statement per kind. Programs and tracks carry the GraphQL fields asked for, so the
/// statement reads the columns those need and no more: a program has 16 columns, a card shows its name.
/// </summary>
/// <param name="PhoneFields">Field names selected under <c>phones</c>; null when phones are not selected.</param>
/// <param name="ProgramFields">Field names selected under <c>programs</c>; null when programs are not selected.</param>
/// <param name="TrackFields">Field names selected under <c>programs.tracks</c>; null when tracks are not selected.</param>
/// <param name="CenterFields">
/// Field names of Center the page's selection reads (under <c>node</c> and <c>nodes</c>, and for what the connection's own
/// fields read of the centres, such as <c>geoJson</c>), so the statement reads those columns only; null reads every column.
/// </param>
/// <param name="Rendered">How to write the phones and programs straight from the page's JSON, when their selection allows (<see cref="RenderedChildren"/>).</param>
public sealed record PageChildren(IReadOnlySet<string>? PhoneFields, IReadOnlySet<string>? ProgramFields, IReadOnlySet<string>? TrackFields, bool CallRoutes,
    IReadOnlySet<string>? CenterFields = null, RenderedChildren? Rendered = null)
{
    public static readonly PageChildren None = new(null, null, null, false);

    /// <summary>
    /// The connection's and edges' own fields, with the Center fields whose columns each reads from the page's centres.
    /// A field not listed here (a new one) makes the page read every column.
    /// </summary>
    private static readonly Dictionary<string, string[]> ConnectionReads = new()
    {
        ["__typename"] = [],
        ["totalCount"] = [],
        ["pageInfo"] = [],
        ["edges"] = [],
        ["nodes"] = [],
        ["facets"] = [],
        ["origin"] = [],
        ["radius"] = [],
        ["geoJson"] = ["location", "address", "acceptingNewPatients"],
    };

    private static readonly HashSet<string> EdgeFields = ["__typename", "cursor", "node", "distance"];

    /// <summary>
    /// What a field's selection reads, per field of a parsed document: it depends on the document alone (the field's
    /// selection and the document's fragments), and a cached document (GraphQL/DocumentCache) brings the same field again.
    /// </summary>
    private static readonly ConditionalWeakTable<GraphQLField, PageChildren> ByField = new();

    /// <summary>What the selection under a <c>searchCenters</c> field reads, through edges.node and nodes, and through fragments.</summary>
    public static PageChildren Selected(IResolveFieldContext context) =>
        ByField.TryGetValue(context.FieldAst, out var known) ? known : ByField.GetValue(context.FieldAst, _ => Read(context));

    private static PageChildren Read(IResolveFieldContext context)
    {
        var top = context.FieldAst.SelectionSet;
        var nodes = Fields(context, top, "edges").SelectMany(edges => Fields(context, edges.SelectionSet, "node"))
            .Concat(Fields(context, top, "nodes")).ToList();
        var phones = nodes.SelectMany(node => Fields(context, node.SelectionSet, "phones")).ToList();
        var programs = nodes.SelectMany(node => Fields(context, node.SelectionSet, "programs")).ToList();
        var tracks = programs.SelectMany(program => Fields(context, program.SelectionSet, "tracks")).ToList();
        return new PageChildren(
            PhoneFields: phones.Count == 0 ? null : Names(context, phones),
            ProgramFields: programs.Count == 0 ? null : Names(context, programs),
            TrackFields: tracks.Count == 0 ? null : Names(context, tracks),
            CallRoutes: nodes.Any(node => Fields(context, node.SelectionSet, "displayedNumbers").Any() || Fields(context, node.SelectionSet, "sponsorship").Any()),
            CenterFields: CenterFieldsRead(context, top, nodes),
            Rendered: RenderedChildren.For(context.Schema, context.RequestServices!.GetRequiredService<Data.DirectoryDbContext>().Model, phones, programs));
    }

    private static HashSet<string>? CenterFieldsRead(IResolveFieldContext context, GraphQLSelectionSet? top, List<GraphQLField> nodes)
    {
        var read = Names(context, nodes);
        foreach (var field in Fields(context, top, name: null))
        {
            if (!ConnectionReads.TryGetValue(field.Name.StringValue, out var centerFields)) return null;
            read.UnionWith(centerFields);
        }
        var edgeFields = Fields(context, top, "edges").SelectMany(edges => Fields(context, edges.SelectionSet, name: null));
        return edgeFields.All(field => EdgeFields.Contains(field.Name.StringValue)) ? read : null;
    }

    private static HashSet<string> Names(IResolveFieldContext context, IEnumerable<GraphQLField> fields) =>
        fields.SelectMany(field => Fields(context, field.SelectionSet, name: null)).Select(f => f.Name.StringValue).ToHashSet();

    /// <summary>The fields of a selection set (of that name, or all), looking into inline fragments and fragment spreads (validation has ruled out cycles).</summary>
    private static IEnumerable<GraphQLField> Fields(IResolveFieldContext context, GraphQLSelectionSet? set, string? name)
    {
        if (set is null) yield break;
        foreach (var selection in set.Selections)
        {
            var inner = selection switch
            {
                GraphQLField field => name is null || field.Name.Value.Span.SequenceEqual(name) ? [field] : [],
                GraphQLInlineFragment inline => Fields(context, inline.SelectionSet, name),
                GraphQLFragmentSpread spread => context.Document.Definitions.OfType<GraphQLFragmentDefinition>()
                    .Where(d => d.FragmentName.Name.Value.Span.SequenceEqual(spread.FragmentName.Name.Value.Span))
                    .SelectMany(d => Fields(context, d.SelectionSet, name)),
                _ => [],
            };
            foreach (var field in inner) yield return field;
        }
    }
}

/// <summary>
/// The SQL for <see cref="PageChildren"/>: correlated subqueries on <c>centers c</c> that return each centre's rows as a
/// JSON array (keys are column names, from the EF model), and how those rows reach the resolvers, so resolving the
/// children sends no SQL.
/// </summary>
public static class PageChildrenSql
{
    /// <summary>
    /// The program columns each GraphQL field of IopProgram reads (see Programs/ProgramTypes.cs). A field not listed
    /// here (a new one) makes the statement read every column, so it is never wrong, only less lean.
    /// </summary>
    private static readonly Dictionary<string, string[]> ProgramColumns = new()
    {
        ["__typename"] = [],
        ["id"] = [nameof(IopProgram.Id)],
        ["name"] = [nameof(IopProgram.Name)],
        ["description"] = [nameof(IopProgram.Description)],
        ["hoursPerWeek"] = [nameof(IopProgram.MinHoursPerWeek), nameof(IopProgram.MaxHoursPerWeek)],
        ["daysPerWeek"] = [nameof(IopProgram.MinDaysPerWeek), nameof(IopProgram.MaxDaysPerWeek)],
        ["durationWeeks"] = [nameof(IopProgram.MinDurationWeeks), nameof(IopProgram.MaxDurationWeeks)],
        ["stepsDown"] = [nameof(IopProgram.StepsDown)],
        ["telehealth"] = [nameof(IopProgram.Telehealth)],
        ["inPerson"] = [nameof(IopProgram.InPerson)],
        ["ageRange"] = [nameof(IopProgram.MinAge), nameof(IopProgram.MaxAge)],
        ["services"] = [nameof(IopProgram.ServiceCodes)],
        ["tracks"] = [],
    };

    /// <summary>The same for Phone (see Centers/CenterTypes.cs).</summary>
    private static readonly Dictionary<string, string[]> PhoneColumns = new()
    {
        ["__typename"] = [],
        ["kind"] = [nameof(Phone.Kind)],
        ["number"] = [nameof(Phone.Number)],
        ["display"] = [nameof(Phone.Number)],
        ["extension"] = [nameof(Phone.Extension)],
    };

    /// <summary>The same for Track; its sessions are read when <c>sessions</c> or <c>hoursPerWeek</c> is asked for.</summary>
    private static readonly Dictionary<string, string[]> TrackColumns = new()
    {
        ["__typename"] = [],
        ["kind"] = [nameof(Track.Kind)],
        ["sessions"] = [],
        ["hoursPerWeek"] = [],
    };

    /// <summary>
    /// The centre columns each GraphQL field of Center reads (see Centers/CenterTypes.cs), as properties of
    /// <see cref="Center"/>; the children's fields read the id alone (their loaders key by it). A field not listed here (a
    /// new one) makes the statement read every column, so it is never wrong, only less lean.
    /// </summary>
    private static readonly Dictionary<string, string[]> CenterProperties = new()
    {
        ["__typename"] = [],
        ["id"] = [],
        ["name"] = [],
        ["description"] = [nameof(Center.Description)],
        ["website"] = [nameof(Center.Website)],
        ["address"] = [nameof(Center.Address)],
        ["location"] = [nameof(Center.Location)],
        ["latitude"] = [nameof(Center.Location)],
        ["longitude"] = [nameof(Center.Location)],
        ["timeZone"] = [nameof(Center.TimeZone)],
        ["levelsOfCare"] = [nameof(Center.LevelsOfCare)],
        ["acceptingNewPatients"] = [nameof(Center.AcceptingNewPatients)],
        ["accreditations"] = [nameof(Center.Accreditations)],
        ["stateLicenseNumber"] = [nameof(Center.StateLicenseNumber)],
        ["languages"] = [nameof(Center.Languages)],
        ["populations"] = [nameof(Center.Populations)],
        ["conditions"] = [nameof(Center.Conditions)],
        ["serviceArea"] = [nameof(Center.ServiceArea)],
        ["payment"] = [nameof(Center.PayerTypes), nameof(Center.FreeConsultation)],
        ["phones"] = [],
        ["displayedNumbers"] = [],
        ["sponsorship"] = [],
        ["programs"] = [],
        ["provenance"] = [nameof(Center.Source), nameof(Center.SourceId)],
        ["lastVerifiedAt"] = [nameof(Center.LastVerifiedAt)],
        ["verification"] = [nameof(Center.LastVerifiedAt), nameof(Center.VerificationSource)],
        ["version"] = [nameof(Center.Version)],
        ["updatedAt"] = [nameof(Center.UpdatedAt)],
    };

    /// <summary>The key a program's object gives its tracks.</summary>
    public const string TracksKey = "tracks";

    /// <summary>
    /// The one property a field of a phone, program or track reads (its column is the key of that field's value in the
    /// page's JSON), or null when the field reads none, several, or is not listed.
    /// </summary>
    public static IProperty? PropertyRead(IModel model, Type entity, string field)
    {
        var map = entity == typeof(Phone) ? PhoneColumns : entity == typeof(IopProgram) ? ProgramColumns : entity == typeof(Track) ? TrackColumns : null;
        return map is not null && map.TryGetValue(field, out var properties) && properties is [var property]
            ? model.FindEntityType(entity)?.FindProperty(property)
            : null;
    }

    /// <summary>The column a property is stored in, the key the page's JSON gives it.</summary>
    public static string ColumnName(IProperty property) =>
        property.GetColumnName(StoreObjectIdentifier.Table(property.DeclaringType.ContainingEntityType.GetTableName()!, property.DeclaringType.ContainingEntityType.GetSchema()))!;

    /// <summary>The properties of <see cref="Center"/> a page whose selection reads <paramref name="fields"/> needs, or null (all).</summary>
    public static HashSet<string>? CenterPropertiesRead(IReadOnlySet<string> fields) =>
        Lean(fields, CenterProperties, nameof(Center.Id), nameof(Center.Name));

    /// <summary>
    /// The select list for centres read with FromSql from <c>centers c</c>: every mapped column, derived from the model.
    /// EF 10 reads a complex property's columns from raw SQL under their default names (Address_City...) rather than
    /// the configured ones, hence the aliases.
    /// </summary>
    public static string CenterSelect(IModel model) => AllCenterColumns.GetValue(model, BuildCenterSelect);

    /// <summary>One select list per model: every search builds <see cref="CenterSearch.Filtered"/>, a page or not.</summary>
    private static readonly ConditionalWeakTable<IModel, string> AllCenterColumns = new();

    private static string BuildCenterSelect(IModel model)
    {
        var type = model.FindEntityType(typeof(Center))!;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var items = type.GetProperties().Select(p => $"c.{p.GetColumnName(table)}").ToList();
        foreach (var complex in type.GetComplexProperties())
            items.AddRange(complex.ComplexType.GetProperties().Select(p => $"c.{p.GetColumnName(table)} AS \"{complex.Name}_{p.Name}\""));
        return "SELECT " + string.Join(", ", items);
    }

    /// <summary>The three select-list expressions (phones, programs, call routes), NULL for what is not asked for.</summary>
    public static (string Phones, string Programs, string CallRoutes) Columns(IModel model, PageChildren children) =>
        ColumnsByModel.GetValue(model, _ => new()).GetValue(children, c => new ChildColumns(BuildColumns(model, c))).Sql;

    /// <summary>Per model, per selection (<see cref="PageChildren.Selected"/> gives a cached document's field the same instance).</summary>
    private static readonly ConditionalWeakTable<IModel, ConditionalWeakTable<PageChildren, ChildColumns>> ColumnsByModel = new();

    private sealed record ChildColumns((string Phones, string Programs, string CallRoutes) Sql);

    private static (string Phones, string Programs, string CallRoutes) BuildColumns(IModel model, PageChildren children) =>
        (children.PhoneFields is { } phoneFields ? PhonesSql(model, phoneFields) : "NULL::text",
         children.ProgramFields is { } fields ? ProgramsSql(model, fields, children.TrackFields) : "NULL::text",
         children.CallRoutes ? CallRoutesSql(model) : "NULL::text");

    private static string PhonesSql(IModel model, IReadOnlySet<string> fields) =>
        // A phone's number is required: it always comes.
        $"(SELECT coalesce(json_agg({Element(model, typeof(Phone), "p", Lean(fields, PhoneColumns, nameof(Phone.Number)), null)} ORDER BY p.kind, p.id), '[]')::text FROM phones p WHERE p.center_id = c.id)";

    private static string CallRoutesSql(IModel model) => $"""
        (SELECT coalesce(json_agg({Object(model, typeof(CallRoute), "r", null, ("hours",
            "(SELECT coalesce(json_agg(row_to_json(h) ORDER BY h.id), '[]') FROM answer_hours h WHERE h.call_route_id = r.id)"))} ORDER BY r.id), '[]')::text
         FROM call_routes r WHERE r.center_id = c.id)
        """;

    private static string ProgramsSql(IModel model, IReadOnlySet<string> fields, IReadOnlySet<string>? trackFields)
    {
        // A program's name is required: it always comes. Ids come when a field reads them: a page's programs bring their
        // tracks (SearchPageProgram) and tracks their sessions, so no loader keys by them.
        var columns = Lean(fields, ProgramColumns, nameof(IopProgram.Name));
        (string, string)? tracks = null;
        if (trackFields is not null)
        {
            var trackColumns = Lean(trackFields, TrackColumns);
            var withSessions = trackColumns is null || trackFields.Contains("sessions") || trackFields.Contains("hoursPerWeek");
            (string, string)? sessions = withSessions
                ? ("sessions", "(SELECT coalesce(json_agg(row_to_json(s) ORDER BY s.weekday, s.starts_at), '[]') FROM track_sessions s WHERE s.track_id = t.id)")
                : null;
            tracks = (TracksKey, $"(SELECT coalesce(json_agg({Element(model, typeof(Track), "t", trackColumns, sessions)} ORDER BY t.kind, t.id), '[]') FROM tracks t WHERE t.program_id = pr.id)");
        }
        return $"""
            (SELECT coalesce(json_agg({Object(model, typeof(IopProgram), "pr", columns, tracks)} ORDER BY pr.id), '[]')::text
             FROM programs pr WHERE pr.center_id = c.id)
            """;
    }

    /// <summary>The properties the fields need (plus <paramref name="always"/>), or null (all) when a field is not in the map.</summary>
    private static HashSet<string>? Lean(IReadOnlySet<string> fields, Dictionary<string, string[]> map, params string[] always)
    {
        var properties = always.ToHashSet();
        foreach (var field in fields)
        {
            if (!map.TryGetValue(field, out var needed)) return null;
            properties.UnionWith(needed);
        }
        return properties;
    }

    /// <summary>
    /// A child row as JSON: the bare column when the selection reads one column of a phone or track and nothing under it
    /// (a phone's number, a track's kind: what a results card shows; <see cref="ScalarRows"/> reads it back), else an
    /// object (<see cref="Object"/>). A key and an object per row was about 8% of PostgreSQL's time for a page of 20 centres
    /// with their phones and tracks (single-client pgbench, 1M centres: 744–798 pages/s against 804–850, the raw form's).
    /// </summary>
    private static string Element(IModel model, Type entity, string alias, IReadOnlySet<string>? properties, (string Key, string Sql)? child) =>
        child is null && properties is { Count: 1 } && ScalarRows.Property(entity) is { } bare && properties.Contains(bare)
            ? $"{alias}.{Columns(model, entity, properties).Single()}"
            : Object(model, entity, alias, properties, child);

    /// <summary><c>json_build_object('column', alias.column, ...)</c> over the entity's mapped columns (those of <paramref name="properties"/>, or all), plus a child array.</summary>
    private static string Object(IModel model, Type entity, string alias, IReadOnlySet<string>? properties, (string Key, string Sql)? child)
    {
        var pairs = Columns(model, entity, properties).Select(column => $"'{column}', {alias}.{column}").ToList();
        if (child is { } c) pairs.Add($"'{c.Key}', {c.Sql}");
        return $"json_build_object({string.Join(", ", pairs)})";
    }

    /// <summary>The column names of the entity's mapped properties (those of <paramref name="properties"/>, or all), in model order.</summary>
    private static IEnumerable<string> Columns(IModel model, Type entity, IReadOnlySet<string>? properties)
    {
        return model.FindEntityType(entity)!.GetProperties()
            .Where(p => properties is null || properties.Contains(p.Name))
            .Select(ColumnName);
    }

    /// <summary>Rows as the subqueries write them: objects, or a phone's number or track's kind alone (<see cref="Element"/>).</summary>
    private static readonly JsonSerializerOptions Rows = new(ScalarRows.Objects)
    {
        Converters = { ScalarRows.PhoneNumber, ScalarRows.TrackKind },
    };

    /// <summary>
    /// Hands a page's children over: call routes (whole rows) to the request's loaders; phones and programs (with the
    /// columns the selection reads) to the hits themselves, where only this page's resolvers see them. The JSON holds a row
    /// per hit, in order; the row past the page (there to tell whether a next page exists) has none.
    /// </summary>
    public static void Attach(CenterLoaders loaders, IReadOnlyList<SearchHit> hits, PageJson phonesJson, PageJson programsJson, PageJson routesJson,
        RenderedChildren? rendered)
    {
        // A rendered field's resolver never runs for these hits; were another field to ask, it would go to the loaders.
        if (rendered?.Phones is { } phonePlan)
            Render(hits, phonesJson, phonePlan, static (hit, rows) => (hit.RenderedPhones, hit.HasPhones) = (rows, false));
        else if (phonesJson.Read<List<Phone>>(Rows) is { } phones)
            for (var i = 0; i < hits.Count; i++) hits[i].Phones = phones[i] ?? hits[i].Phones;
        if (routesJson.Read<CallRoute[]>(Rows) is { } routes)
            for (var i = 0; i < hits.Count; i++)
                if (routes[i] is { } own) loaders.CallRoutes.Prime(hits[i].Id, own);
        if (rendered?.Programs is { } programPlan)
            Render(hits, programsJson, programPlan, static (hit, rows) => (hit.RenderedPrograms, hit.HasPrograms) = (rows, false));
        else if (programsJson.Read<SearchPageProgram[]>(Rows) is { } programs)
            for (var i = 0; i < hits.Count; i++)
                if (programs[i] is { } own) hits[i].Programs = [.. own];
    }

    /// <summary>Hands each hit its row of the page's JSON with the plan that writes it; the hit's entities stay unread.</summary>
    private static void Render(IReadOnlyList<SearchHit> hits, PageJson json, RenderedChildren.RowPlan plan, Action<SearchHit, RenderedRows> set)
    {
        if (json.Parse() is not { } rows) return;
        var i = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind == JsonValueKind.Array) set(hits[i], new RenderedRows(plan, row));
            i++;
        }
    }
}

/// <summary>
/// One kind of child for a whole page, as one UTF-8 JSON array (<c>[a, b, null...]</c>): each row's text column is copied
/// in as bytes while the page is read, and the array is parsed once. A parse per centre cost a deserialiser set-up each
/// (its state stack alone was a tenth of the bytes a search allocated); a string per row, joined into one more string and
/// transcoded back to UTF-8 to parse, was another tenth.
/// </summary>
public sealed class PageJson : IDisposable
{
    private byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(8192);
    private int _length = 1, _rows, _present;

    public PageJson() => _buffer[0] = (byte)'[';

    /// <summary>Appends the row's column (UTF-8 text, as Npgsql receives it), or <c>null</c>; true when the row has one.</summary>
    public bool Add(Npgsql.NpgsqlDataReader reader, int ordinal)
    {
        if (_rows++ > 0) Append(","u8);
        if (reader.IsDBNull(ordinal))
        {
            Append("null"u8);
            return false;
        }
        using var column = reader.GetStream(ordinal);
        Reserve(checked((int)column.Length));
        column.ReadExactly(_buffer, _length, (int)column.Length);
        _length += (int)column.Length;
        _present++;
        return true;
    }

    /// <summary>The rows as one JSON array (a copy, independent of this buffer); null when no row had the column.</summary>
    public JsonElement? Parse()
    {
        if (_present == 0) return null;
        Append("]"u8);
        return JsonSerializer.Deserialize<JsonElement>(_buffer.AsSpan(0, _length));
    }

    /// <summary>The rows, parsed; null when no row had the column.</summary>
    public T?[]? Read<T>(JsonSerializerOptions options) where T : class
    {
        if (_present == 0) return null;
        Append("]"u8);
        return JsonSerializer.Deserialize<T?[]>(_buffer.AsSpan(0, _length), options);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Reserve(int more)
    {
        if (_length + more + 1 <= _buffer.Length) return;
        var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more + 1));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>
/// The children a page may bring as one bare column per row (<c>["(480) 555-0100"]</c>, <c>["Evening"]</c>) instead of
/// objects: which property that column is, and the converters that read such a row, or an object as usual.
/// </summary>
internal static class ScalarRows
{
    /// <summary>The one property a row of this entity may come as, bare; null when none may.</summary>
    public static string? Property(Type entity) =>
        entity == typeof(Phone) ? nameof(Phone.Number) : entity == typeof(Track) ? nameof(Track.Kind) : null;

    /// <summary>Rows as objects: column names as keys, enums by name, times as "17:00:00" (the page's options add the converters below).</summary>
    public static readonly JsonSerializerOptions Objects = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    public static readonly JsonConverter PhoneNumber = new Bare<Phone, string>(number => new Phone { Number = number });
    public static readonly JsonConverter TrackKind = new Bare<Track, Programs.TrackKind>(kind => new Track { Kind = kind });

    /// <summary>Reads a row that came as a bare value into an entity holding it, and a row that came as an object as usual.</summary>
    private sealed class Bare<TEntity, TValue>(Func<TValue, TEntity> entity) : JsonConverter<TEntity>
    {
        public override TEntity? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.StartObject
                ? JsonSerializer.Deserialize<TEntity>(ref reader, Objects)
                : entity(JsonSerializer.Deserialize<TValue>(ref reader, Objects)!);

        public override void Write(Utf8JsonWriter writer, TEntity value, JsonSerializerOptions options) =>
            throw new NotSupportedException("A search page's rows are only read.");
    }
}
