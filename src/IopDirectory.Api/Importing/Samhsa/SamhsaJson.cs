using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Importing.Hsds;
using NetTopologySuite.Geometries;

namespace IopDirectory.Importing.Samhsa;

/// <summary>
/// The FindTreatment.gov locator's JSON export (<c>/locator/exportsAsJson/v2</c>): <c>{ page, totalPages, recordCount,
/// rows: [...] }</c>, a row per facility keyed by its <c>frid</c> (the centre's source id). Rows carry names, address,
/// phones, coordinates as strings and <c>services</c> as category code + service names, mapped to levels of care,
/// payer types, populations, languages, accreditations and conditions. They carry no hours, tracks, carriers or
/// program intensity: those stay unknown (see Importing/README.md).
/// </summary>
public static class SamhsaJson
{
    public const string Source = "samhsa";
    public const string Actor = "import:samhsa-json";

    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Where(int index) => $"rows[{index}]";

    public static async IAsyncEnumerable<ImportCandidate> ReadAsync(Stream stream, ImportReport report,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var element in JsonArrayStream.ReadAsync<LocatorRow>(stream, "rows", Options, cancellationToken))
            yield return element.Value is { } row ? Map(element.Index, row, report) : ImportCandidate.Reject(element.Index, $"not a locator row: {element.Error}");
    }

    private static ImportCandidate Map(int index, LocatorRow row, ImportReport report)
    {
        var state = row.State?.Trim().ToUpperInvariant() ?? "";
        if (SourceFields.Text(row.Frid) is not { } frid) return ImportCandidate.Reject(index, "no frid (the locator's facility id)");
        if (SourceFields.Text(row.Name1) is not { } name1) return ImportCandidate.Reject(index, "no name (name1 is empty)");
        if (!Rules.UsStates.Contains(state)) return ImportCandidate.Reject(index, $"unknown state '{state}'");
        if (SourceFields.PostalCode(row.Zip, null, out var postalCode) is { } badZip) return ImportCandidate.Reject(index, badZip);
        if (SourceFields.Coordinates(row.Latitude, row.Longitude, state, out var latitude, out var longitude) is { } badPoint)
            return ImportCandidate.Reject(index, badPoint);

        var phones = new List<Phone>();
        foreach (var (raw, kind) in new[] { (row.Phone, PhoneKind.Main), (row.Intake1, PhoneKind.Intake) })
        {
            if (SourceFields.Phone(raw, out var number, out var extension) is { } badPhone) return ImportCandidate.Reject(index, badPhone);
            if (number is not null && !phones.Any(p => p.Number == number && p.Extension == extension))
                phones.Add(new Phone { Kind = kind, Number = number, Extension = extension });
        }
        if (SourceFields.Text(row.Hotline1) is not null) report.Note("hotline1 not imported: the model has no kind of line for a facility hotline");

        var owned = Owned.Name | Owned.Address | Owned.Location;
        if (phones.Count > 0) owned |= Owned.Phones;
        var website = SourceFields.Website(row.Website);
        if (website is not null) owned |= Owned.Website;
        else if (SourceFields.Text(row.Website) is { } badWebsite) report.Note($"website is not a URL, left out: {badWebsite}");

        var name2 = SourceFields.Text(row.Name2);
        var city = row.City?.Trim() ?? "";
        var center = new Center
        {
            Name = name2 is null ? name1 : $"{name1} - {name2}",
            Website = website,
            Address = new Address
            {
                Street1 = row.Street1?.Trim() ?? "",
                Street2 = SourceFields.Text(row.Street2),
                City = city,
                State = state,
                PostalCode = postalCode,
            },
            Location = Wgs84.CreatePoint(new Coordinate(longitude, latitude)),
            TimeZone = UsTimeZones.For(state, null, city, latitude, longitude)!,
            Source = Source,
            SourceId = frid,
            Phones = phones,
        };
        if (row.Services is { } services)
        {
            SamhsaFacts.Apply(center, services.Select(s => (s.F2, s.F3)), report);
            owned |= Owned.CareFacts;
        }
        return new ImportCandidate(index, center, owned);
    }

    internal sealed class LocatorRow
    {
        [JsonConverter(typeof(NumberOrStringConverter))]
        public string? Frid { get; init; }
        public string? Name1 { get; init; }
        public string? Name2 { get; init; }
        public string? Street1 { get; init; }
        public string? Street2 { get; init; }
        public string? City { get; init; }
        public string? State { get; init; }

        [JsonConverter(typeof(NumberOrStringConverter))]
        public string? Zip { get; init; }
        public string? Phone { get; init; }
        public string? Intake1 { get; init; }
        public string? Hotline1 { get; init; }
        public string? Website { get; init; }

        [JsonConverter(typeof(NumberOrStringConverter))]
        public string? Latitude { get; init; }

        [JsonConverter(typeof(NumberOrStringConverter))]
        public string? Longitude { get; init; }
        public List<LocatorService>? Services { get; init; }
    }

    /// <summary>One category of a row's services: its name (f1), its code (f2) and the service names, joined by "; " (f3).</summary>
    internal sealed class LocatorService
    {
        public string? F1 { get; init; }
        public string? F2 { get; init; }
        public string? F3 { get; init; }
    }
}

/// <summary>What a facility's SAMHSA services say about the centre.</summary>
public static class SamhsaFacts
{
    /// <summary>Sets levels of care, payer types, populations, languages, accreditations and conditions (each in its enum's order).</summary>
    public static void Apply(Center center, IEnumerable<(string? CategoryCode, string? Names)> categories, ImportReport report)
    {
        var codes = new HashSet<string>();
        foreach (var (category, names) in categories)
            foreach (var name in (names ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (SamhsaServiceCodes.Find(category, name) is { } service) codes.Add(service.Code);
                else report.Note($"service name not in the SAMHSA taxonomy: {name}");
            }
        center.LevelsOfCare = [.. Mapped(codes, SamhsaServiceCodes.LevelsOfCare)];
        center.PayerTypes = [.. Mapped(codes, SamhsaServiceCodes.PayerTypes)];
        center.Populations = [.. Mapped(codes, SamhsaServiceCodes.Populations)];
        center.Accreditations = [.. Mapped(codes, SamhsaServiceCodes.Accreditations)];
        center.Conditions = [.. Mapped(codes, SamhsaServiceCodes.Conditions)];
        center.Languages = [.. codes.Where(SamhsaServiceCodes.Languages.ContainsKey).Select(c => SamhsaServiceCodes.Languages[c]).Distinct().Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<T> Mapped<T>(IEnumerable<string> codes, IReadOnlyDictionary<string, T> map) where T : struct, Enum =>
        codes.Where(map.ContainsKey).Select(c => map[c]).Distinct().Order();
}
