using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using IopDirectory.Centers;
using IopDirectory.Data;
using NetTopologySuite.Geometries;

namespace IopDirectory.Importing.Samhsa;

/// <summary>
/// The SAMHSA national directory extract (national_directory_locations.csv): name1, name2, street1, street2, city,
/// state, zip, zip4, county, latitude, longitude. It has no id, so a centre's source id is derived from what
/// identifies a facility, its name and address: "nd-" and 16 hex digits of SHA-256 over name1, name2, street1,
/// street2, city, state and the 5-digit ZIP, lower-cased with spaces collapsed. The same facility keeps its key across
/// extracts while its coordinates, county or ZIP+4 are corrected (an update); a facility that moves or is renamed is
/// a new key (a new centre, the old one left as it was). Two rows with one key in one file: the first is kept.
/// </summary>
public static class SamhsaCsv
{
    public const string Source = "samhsa";
    public const string Actor = "import:samhsa-csv";

    /// <summary>What this file speaks for: no services, phones or website, so those are never touched.</summary>
    public const Owned Fields = Owned.Name | Owned.Address | Owned.County | Owned.Location;

    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    private static readonly string[] Required = ["name1", "street1", "city", "state", "zip", "latitude", "longitude"];

    public static string Where(int line) => $"line {line}";

    /// <summary>The file's rows, mapped one at a time as they are read.</summary>
    public static async IAsyncEnumerable<ImportCandidate> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var records = new CsvRecords(reader);
        var header = (await records.ReadHeaderAsync(cancellationToken)).Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (Required.FirstOrDefault(name => !header.Contains(name)) is { } missing)
            throw new InvalidDataException($"The header has no '{missing}' column; expected {string.Join(", ", Required)} (and name2, street2, zip4, county).");
        var column = header.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index);

        while (await records.NextAsync(cancellationToken) is { } record)
        {
            if (record.Fields.Length != header.Length)
            {
                yield return ImportCandidate.Reject(record.Line, $"has {record.Fields.Length} fields, the header {header.Length}");
                continue;
            }
            string Field(string name) => column.TryGetValue(name, out var index) ? record.Fields[index].Trim() : "";
            yield return Map(record.Line, Field);
        }
    }

    private static ImportCandidate Map(int line, Func<string, string> field)
    {
        var name1 = field("name1");
        var name2 = field("name2");
        var state = field("state").ToUpperInvariant();
        if (name1.Length == 0) return ImportCandidate.Reject(line, "no name (name1 is empty)");
        if (!Rules.UsStates.Contains(state)) return ImportCandidate.Reject(line, $"unknown state '{state}'");
        if (SourceFields.PostalCode(field("zip"), field("zip4"), out var postalCode) is { } badZip) return ImportCandidate.Reject(line, badZip);
        if (SourceFields.Coordinates(field("latitude"), field("longitude"), state, out var latitude, out var longitude) is { } badPoint)
            return ImportCandidate.Reject(line, badPoint);

        var county = SourceFields.Text(field("county"));
        var city = field("city");
        var center = new Center
        {
            Name = name2.Length == 0 ? name1 : $"{name1} - {name2}",
            Address = new Address
            {
                Street1 = field("street1"),
                Street2 = SourceFields.Text(field("street2")),
                City = city,
                State = state,
                PostalCode = postalCode,
                County = county,
            },
            Location = Wgs84.CreatePoint(new Coordinate(longitude, latitude)),
            TimeZone = UsTimeZones.For(state, county, city, latitude, longitude)!,
            Source = Source,
            SourceId = Key(name1, name2, field("street1"), field("street2"), city, state, postalCode[..5]),
        };
        return new ImportCandidate(line, center, Fields);
    }

    /// <summary>The facility's key: see the class summary.</summary>
    public static string Key(params string[] identity)
    {
        var text = string.Join("|", identity.Select(part => string.Join(' ', part.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        return "nd-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }
}
