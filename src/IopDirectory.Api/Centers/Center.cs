using IopDirectory.CallRouting;
using IopDirectory.Data;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using NetTopologySuite.Geometries;

namespace IopDirectory.Centers;

/// <summary>A treatment centre: one physical site that runs one or more IOP programs.</summary>
public class Center : IValidatable, GraphQL.IHasId
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? Website { get; set; }
    public required Address Address { get; set; }

    /// <summary>geography(Point, 4326): X is longitude, Y is latitude.</summary>
    public required Point Location { get; set; }

    /// <summary>IANA time zone the centre keeps its schedule in, e.g. America/Phoenix.</summary>
    public required string TimeZone { get; set; }

    public List<LevelOfCare> LevelsOfCare { get; set; } = [];
    public bool AcceptingNewPatients { get; set; } = true;
    public List<Accreditation> Accreditations { get; set; } = [];
    public string? StateLicenseNumber { get; set; }

    /// <summary>ISO 639 codes, see <see cref="Languages"/>.</summary>
    public List<string> Languages { get; set; } = [];
    public List<Population> Populations { get; set; } = [];
    public List<Condition> Conditions { get; set; } = [];

    /// <summary>Where the centre's telehealth programs serve, when they serve beyond the site.</summary>
    public MultiPolygon? ServiceArea { get; set; }

    public List<PayerType> PayerTypes { get; set; } = [];
    public bool FreeConsultation { get; set; }

    /// <summary>Where this record came from ("seed", "samhsa", "hsds", ...) and its id there.</summary>
    public required string Source { get; set; }
    public required string SourceId { get; set; }
    public DateTimeOffset? LastVerifiedAt { get; set; }

    /// <summary>How the last verification was done ("phone call to intake", "import:samhsa-csv"...).</summary>
    public string? VerificationSource { get; set; }

    /// <summary>When the record last changed (any edit through the API bumps it, and with it <see cref="Version"/>).</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Set when the centre is retired (closed, or no longer offers IOP): kept for audit, never listed.</summary>
    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>PostgreSQL's xmin: the row version for optimistic concurrency.</summary>
    public uint Version { get; set; }

    public List<Phone> Phones { get; set; } = [];
    public List<IopProgram> Programs { get; set; } = [];
    public List<InsurancePlan> InsurancePlans { get; set; } = [];
    public List<CallRoute> CallRoutes { get; set; } = [];

    public double Latitude => Location.Y;
    public double Longitude => Location.X;

    public IEnumerable<ValidationError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
            yield return new("name", "A centre needs a name of 1 to 200 characters.", "INVALID_NAME");
        if (Location is null || !Rules.IsLatitude(Location.Y))
            yield return new("location.latitude", $"Latitude must be between -90 and 90 (got {Location?.Y}).", "INVALID_COORDINATES");
        if (Location is null || !Rules.IsLongitude(Location.X))
            yield return new("location.longitude", $"Longitude must be between -180 and 180 (got {Location?.X}).", "INVALID_COORDINATES");
        if (Location is not null && Location.SRID != 4326)
            yield return new("location", "Locations are WGS 84 (SRID 4326).", "INVALID_COORDINATES");
        if (!Rules.IsTimeZone(TimeZone))
            yield return new("timeZone", $"'{TimeZone}' is not an IANA time zone such as America/Chicago.", "INVALID_TIME_ZONE");
        if (Website is not null && !Rules.IsHttpUrl(Website))
            yield return new("website", "The website must be an absolute http(s) URL.", "INVALID_URL");
        foreach (var error in Address.Validate())
            yield return error;
        foreach (var code in Languages.Where(code => !Taxonomy.Languages.All.ContainsKey(code)))
            yield return new("languages", $"'{code}' is not a known language code.", "UNKNOWN_LANGUAGE");
        if (ServiceArea is not null && (ServiceArea.SRID != 4326 || !ServiceArea.IsValid))
            yield return new("serviceArea", "The service area must be a valid multipolygon in WGS 84.", "INVALID_GEOMETRY");
        if (string.IsNullOrWhiteSpace(Source) || string.IsNullOrWhiteSpace(SourceId))
            yield return new("source", "Every centre records its source and source id.", "MISSING_PROVENANCE");
    }
}

/// <summary>A US postal address (an owned part of <see cref="Center"/>).</summary>
public sealed class Address
{
    public required string Street1 { get; set; }
    public string? Street2 { get; set; }
    public required string City { get; set; }

    /// <summary>USPS state or territory code.</summary>
    public required string State { get; set; }

    /// <summary>ZIP or ZIP+4.</summary>
    public required string PostalCode { get; set; }
    public string? County { get; set; }

    public IEnumerable<ValidationError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Street1) || Street1.Length > 200 || Street2?.Length > 200)
            yield return new("address.street1", "Street lines are 1 to 200 characters (the second is optional).", "INVALID_ADDRESS");
        if (string.IsNullOrWhiteSpace(City) || City.Length > 100)
            yield return new("address.city", "The address needs a city of at most 100 characters.", "INVALID_ADDRESS");
        if (County?.Length > 100)
            yield return new("address.county", "A county name is at most 100 characters.", "INVALID_ADDRESS");
        if (!Rules.UsStates.Contains(State ?? ""))
            yield return new("address.state", $"'{State}' is not a US state or territory code.", "INVALID_STATE");
        if (PostalCode is null || !System.Text.RegularExpressions.Regex.IsMatch(PostalCode, @"^\d{5}(-\d{4})?$"))
            yield return new("address.postalCode", $"'{PostalCode}' is not a ZIP code (12345 or 12345-6789).", "INVALID_POSTAL_CODE");
    }
}

public enum PhoneKind
{
    Main,
    Intake,
}

/// <summary>One of a centre's own lines (main switchboard, intake/admissions).</summary>
public sealed class Phone : IValidatable
{
    public int Id { get; set; }
    public int CenterId { get; set; }
    public PhoneKind Kind { get; set; }

    /// <summary>E.164, e.g. +14805550100.</summary>
    public required string Number { get; set; }
    public string? Extension { get; set; }

    public IEnumerable<ValidationError> Validate()
    {
        if (!Rules.IsE164(Number))
            yield return new("phones.number", $"'{Number}' is not a valid phone number in E.164 form.", "INVALID_PHONE");
        if (Extension is not null && !System.Text.RegularExpressions.Regex.IsMatch(Extension, @"^\d{1,6}$"))
            yield return new("phones.extension", "An extension is 1 to 6 digits.", "INVALID_PHONE");
    }
}
