using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using V = IopDirectory.Importing.Hsds.Vocabularies;

namespace IopDirectory.Importing.Hsds;

/// <summary>
/// Reads an HSDS page (or a bare array) of organizations. Each physical location becomes a centre keyed by the
/// location's external identifier and its type (this directory's source id and source), or ("hsds", location id)
/// when the file has none. HSDS fields map to the centre's own; this directory's taxonomy attributes (see
/// <see cref="DirectoryTaxonomy"/>) carry the rest. A service becomes a program when it states its intensity (hours and
/// days per week); its schedules with a track attribute become the program's tracks. The organization marked as the
/// directory's helplines carries the directory-wide numbers, written after every centre.
/// </summary>
public static class HsdsImporter
{
    public const string DefaultSource = "hsds";
    public const string Actor = "import:hsds";

    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    public static string Where(int index) => $"contents[{index}]";

    /// <summary>The directory-wide numbers of a file, kept aside until its centres are written.</summary>
    public sealed class Helplines
    {
        public int? Position { get; set; }
        public List<CallRoute> Routes { get; } = [];
        public Dictionary<CallRoute, (string Source, string SourceId)> OtherDestinations { get; } = new();
        public string? Rejection { get; set; }
    }

    public static async IAsyncEnumerable<ImportCandidate> ReadAsync(Stream stream, ImportReport report, Helplines helplines,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var element in JsonArrayStream.ReadAsync<HsdsOrganization>(stream, "contents", HsdsJson.Options, cancellationToken))
        {
            if (element.Value is not { } organization)
            {
                yield return ImportCandidate.Reject(element.Index, $"not an HSDS organization: {element.Error}");
                continue;
            }
            if (organization.Attributes?.Any(a => DirectoryTaxonomy.Read(a)?.Vocabulary == V.DirectoryHelplines) == true)
            {
                ReadHelplines(element.Index, organization, helplines);
                continue;
            }
            var locations = organization.Locations?.Where(l => l.LocationType is null or "physical").ToList() ?? [];
            if (locations.Count == 0)
                yield return ImportCandidate.Reject(element.Index, $"organization {organization.Id} has no physical location");
            foreach (var location in locations)
            {
                ImportCandidate candidate;
                try
                {
                    candidate = Map(element.Index, organization, location, locations.Count, report);
                }
                catch (RowException e)
                {
                    candidate = ImportCandidate.Reject(element.Index, locations.Count > 1 ? $"location {location.Id}: {e.Message}" : e.Message);
                }
                yield return candidate;
            }
        }
    }

    private static ImportCandidate Map(int index, HsdsOrganization organization, HsdsLocation location, int locations, ImportReport report)
    {
        var address = location.Addresses?.FirstOrDefault(a => a.AddressType is null or "physical") ?? location.Addresses?.FirstOrDefault()
            ?? throw new RowException($"location {location.Id} has no address");
        var state = address.StateProvince?.Trim().ToUpperInvariant() ?? "";
        if (!Rules.UsStates.Contains(state)) throw new RowException($"unknown state '{state}'");
        if (location.Latitude is not { } latitude || location.Longitude is not { } longitude) throw new RowException("no coordinates (latitude or longitude is missing)");
        // The model's own rules only: whatever the directory holds must come back from its export.
        if (SourceFields.Coordinates(latitude, longitude, state, inUnitedStates: false) is { } badPoint) throw new RowException(badPoint);

        var facts = new Facts(location.Attributes);
        var routes = new Dictionary<CallRoute, (string, string)>();
        var center = new Center
        {
            Name = locations == 1 ? organization.Name : location.Name ?? organization.Name,
            Description = string.IsNullOrEmpty(organization.Description) ? null : organization.Description,
            Website = string.IsNullOrWhiteSpace(organization.Website) ? null : organization.Website,
            Address = new Address
            {
                Street1 = address.Address1 ?? "",
                Street2 = address.Address2,
                City = address.City ?? "",
                State = state,
                PostalCode = address.PostalCode ?? "",
                County = address.Region,
            },
            Location = Wgs84.CreatePoint(new Coordinate(longitude, latitude)),
            TimeZone = facts.Value(V.TimeZone) ?? UsTimeZones.For(state, address.Region, address.City, latitude, longitude)!,
            LevelsOfCare = facts.Members<LevelOfCare>(V.LevelOfCare),
            AcceptingNewPatients = facts.Bool(V.AcceptingNewPatients) ?? true,
            Accreditations = facts.Members<Accreditation>(V.Accreditation),
            StateLicenseNumber = facts.Value(V.StateLicenseNumber),
            Languages = Languages(location, report),
            Populations = facts.Members<Population>(V.Population),
            Conditions = facts.Members<Condition>(V.Condition),
            ServiceArea = facts.Value(V.ServiceArea) is { } area ? ServiceArea(area) : FirstServiceArea(organization, location),
            PayerTypes = facts.Members<PayerType>(V.PayerType),
            FreeConsultation = facts.Bool(V.FreeConsultation) ?? false,
            Source = SourceFields.Text(location.ExternalIdentifierType) ?? DefaultSource,
            SourceId = SourceFields.Text(location.ExternalIdentifier) ?? location.Id,
            LastVerifiedAt = facts.Instant(V.LastVerifiedAt),
            VerificationSource = facts.Value(V.VerificationSource),
            RetiredAt = facts.Instant(V.RetiredAt),
            InsurancePlans = [.. facts.All(V.Carrier).Select(a => new InsurancePlan
            {
                CarrierCode = a.Member ?? throw new RowException("a carrier attribute names no carrier"),
                PlanName = a.Value,
            })],
        };
        foreach (var phone in location.Phones ?? [])
        {
            var phoneFacts = new Facts(phone.Attributes);
            if (phoneFacts.Has(V.DisplayedNumber)) center.CallRoutes.Add(Route(phone, phoneFacts, routes));
            else center.Phones.Add(OwnLine(phone, phoneFacts));
        }
        foreach (var service in organization.Services ?? [])
        {
            var atLocation = service.ServiceAtLocations?.FirstOrDefault(s => (s.LocationId ?? s.Location?.Id) == location.Id);
            if (atLocation is null && !(locations == 1 && service.ServiceAtLocations is null or [])) continue;
            if (ProgramOf(service, atLocation, report) is { } program) center.Programs.Add(program);
        }
        return new ImportCandidate(index, center, Owned.Everything) { OtherDestinations = routes };
    }

    private static List<string> Languages(HsdsLocation location, ImportReport report)
    {
        var codes = new List<string>();
        foreach (var code in (location.Languages ?? []).Select(l => l.Code?.Trim()).OfType<string>())
            if (Taxonomy.Languages.All.ContainsKey(code)) codes.Add(code);
            else report.Note($"language code '{code}' is not in the directory's list, left out");
        return codes;
    }

    private static Phone OwnLine(HsdsPhone phone, Facts facts)
    {
        if (SourceFields.Phone(phone.Number, out var number, out var extension) is { } badPhone) throw new RowException(badPhone);
        return new Phone
        {
            Kind = facts.Member<PhoneKind>(V.PhoneKind) ?? PhoneKind.Main,
            Number = number!,
            Extension = SourceFields.Text(phone.Extension) ?? extension,
        };
    }

    /// <summary>A displayed number; one that rings another centre is recorded in <paramref name="others"/> with a placeholder id.</summary>
    private static CallRoute Route(HsdsPhone phone, Facts facts, Dictionary<CallRoute, (string, string)> others)
    {
        string Number(string? raw, string what) =>
            SourceFields.Phone(raw, out var e164, out _) is null && e164 is not null ? e164 : throw new RowException($"{what} '{raw}' is not a valid phone number");

        var route = new CallRoute
        {
            Number = Number(phone.Number, "displayed number"),
            Kind = facts.Member<DisplayedNumberKind>(V.DisplayedNumber)!.Value,
            DestinationKind = facts.Member<RouteDestinationKind>(V.RouteDestination) ?? RouteDestinationKind.Facility,
            PartnerNetworkName = facts.Value(V.PartnerNetwork),
            DestinationNumber = Number(facts.Value(V.DestinationNumber) ?? phone.Number, "destination number"),
            AnsweredAllHours = facts.Bool(V.AnsweredAllHours) ?? false,
            AnswerTimeZone = facts.Value(V.AnswerTimeZone) ?? "",
            Hours = [.. facts.All(V.AnswerHours).SelectMany(a => Window(a.Value))],
            AfterHoursNumber = facts.Value(V.AfterHoursNumber) is { } after ? Number(after, "after-hours number") : null,
            AfterHoursLabel = facts.Value(V.AfterHoursLabel),
            IsPaidPlacement = facts.Bool(V.PaidPlacement) ?? false,
            Disclosure = facts.Value(V.Disclosure),
            CallbacksOffered = facts.Bool(V.CallbacksOffered) ?? false,
        };
        if (facts.Value(V.DestinationCenter) is { } destination)
        {
            var colon = destination.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new RowException($"destination_center '{destination}' is not source:source id");
            others[route] = (destination[..colon], destination[(colon + 1)..]);
            route.DestinationCenterId = -1;
        }
        return route;
    }

    private static IEnumerable<AnswerHours> Window(string? value)
    {
        // "MO 09:00-17:00"
        var parts = value?.Split(' ', 2);
        var times = parts?.Length == 2 ? parts[1].Split('-') : null;
        if (parts is null || times is not { Length: 2 }) throw new RowException($"answer_hours '{value}' is not like MO 09:00-17:00");
        yield return new AnswerHours { Weekday = Day(parts[0]), OpensAt = Time(times[0]), ClosesAt = Time(times[1]) };
    }

    /// <summary>A program from a service that states its intensity; null (with a note) for one that does not.</summary>
    private static IopProgram? ProgramOf(HsdsService service, HsdsServiceAtLocation? atLocation, ImportReport report)
    {
        var facts = new Facts(service.Attributes);
        if (facts.Value(V.MinHoursPerWeek) is null || facts.Value(V.MinDaysPerWeek) is null)
        {
            report.Note("service without IOP intensity (hours and days per week) not imported as a program");
            return null;
        }
        var delivery = facts.All(V.Delivery).Select(a => a.Member).ToList();
        var codes = new List<string>();
        foreach (var code in facts.All(V.Service).Select(a => a.Member).OfType<string>())
            if (ServiceCatalog.Exists(code)) codes.Add(code);
            else report.Note($"service code '{code}' is not in the directory's taxonomy, left out");
        return new IopProgram
        {
            Name = service.Name,
            Description = service.Description,
            MinHoursPerWeek = facts.Decimal(V.MinHoursPerWeek)!.Value,
            MaxHoursPerWeek = facts.Decimal(V.MaxHoursPerWeek) ?? facts.Decimal(V.MinHoursPerWeek)!.Value,
            MinDaysPerWeek = facts.Int(V.MinDaysPerWeek)!.Value,
            MaxDaysPerWeek = facts.Int(V.MaxDaysPerWeek) ?? facts.Int(V.MinDaysPerWeek)!.Value,
            MinDurationWeeks = facts.Int(V.MinDurationWeeks),
            MaxDurationWeeks = facts.Int(V.MaxDurationWeeks),
            StepsDown = facts.Bool(V.StepsDown) ?? false,
            InPerson = delivery.Count == 0 || delivery.Contains("InPerson"),
            Telehealth = delivery.Contains("Telehealth"),
            MinAge = Age(service.MinimumAge),
            MaxAge = Age(service.MaximumAge),
            ServiceCodes = codes,
            Tracks = Tracks(atLocation),
        };
    }

    /// <summary>Schedules with a track attribute, grouped by the track's number; each day of a schedule is one session.</summary>
    private static List<Track> Tracks(HsdsServiceAtLocation? atLocation)
    {
        var tracks = new SortedDictionary<int, Track>();
        foreach (var schedule in atLocation?.Schedules ?? [])
        {
            var facts = new Facts(schedule.Attributes);
            if (facts.All(V.Track).FirstOrDefault() is not { Member: { } member } attribute) continue;
            var kind = Facts.Parse<TrackKind>(V.Track, member);
            var number = int.TryParse(attribute.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int)kind + 1;
            if (!tracks.TryGetValue(number, out var track)) tracks[number] = track = new Track { Kind = kind };
            else if (track.Kind != kind) throw new RowException($"track {number} is both {track.Kind} and {kind}");
            if (schedule.Freq is not (null or "WEEKLY")) throw new RowException($"schedule {schedule.Id} repeats {schedule.Freq}; tracks are weekly");
            foreach (var day in (schedule.Byday ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                track.Sessions.Add(new TrackSession { Weekday = Day(day), StartsAt = Time(schedule.OpensAt), EndsAt = Time(schedule.ClosesAt) });
        }
        return [.. tracks.Values];
    }

    private static void ReadHelplines(int index, HsdsOrganization organization, Helplines helplines)
    {
        helplines.Position = index;
        try
        {
            foreach (var phone in organization.Phones ?? [])
            {
                var facts = new Facts(phone.Attributes);
                if (facts.Has(V.DisplayedNumber)) helplines.Routes.Add(Route(phone, facts, helplines.OtherDestinations));
            }
        }
        catch (RowException e)
        {
            helplines.Rejection = e.Message;
        }
    }

    /// <summary>
    /// Makes the directory-wide numbers those of the file, in one transaction: matched by number, updated in place,
    /// added, or removed when the file no longer has them. Counts as one row of the file.
    /// </summary>
    public static async Task WriteHelplinesAsync(DbContextOptions<DirectoryDbContext> options, string actor, Helplines helplines, ImportReport report,
        CancellationToken cancellationToken)
    {
        if (helplines.Position is not { } position) return;
        if (helplines.Rejection is not null)
        {
            report.Rejected.Add(new(Where(position), helplines.Rejection));
            return;
        }
        await using var db = new DirectoryDbContext(options) { Actor = actor };
        db.ChangeTracker.AutoDetectChangesEnabled = false; // as in CenterImporter: one detection per save
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (route, (source, sourceId)) in helplines.OtherDestinations)
        {
            var id = await db.Centers.Where(c => c.Source == source && c.SourceId == sourceId).Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                report.Rejected.Add(new(Where(position), $"helpline {route.Number} rings centre {source}:{sourceId}, which is not in the database"));
                return;
            }
            route.DestinationCenterId = id;
        }
        foreach (var route in helplines.Routes.Where(r => r.DestinationKind != RouteDestinationKind.Facility)) route.DestinationCenterId = null;
        if (helplines.Routes.SelectMany(r => r.Validate()).FirstOrDefault() is { } invalid)
        {
            report.Rejected.Add(new(Where(position), $"{invalid.Field}: {invalid.Message}"));
            return;
        }

        var current = await db.CallRoutes.Where(r => r.CenterId == null).Include(r => r.Hours).ToListAsync(cancellationToken);
        var numbers = helplines.Routes.Select(r => r.Number).ToList();
        if (await db.CallRoutes.AnyAsync(r => r.CenterId != null && numbers.Contains(r.Number), cancellationToken))
        {
            report.Rejected.Add(new(Where(position), "a helpline number is already shown on a listing"));
            return;
        }
        var dropped = current.Where(r => !numbers.Contains(r.Number)).Select(r => r.Id).ToList();
        if (await db.RoutingDecisions.Where(d => dropped.Contains(d.CallRouteId)).Select(d => d.Number).FirstOrDefaultAsync(cancellationToken) is { } logged)
        {
            report.Rejected.Add(new(Where(position), $"helpline {logged} is not in the file, but routing decisions on record refer to it, so it cannot be removed"));
            return;
        }
        var before = string.Join("\n", current.Select(r => CenterMerge.RouteFacts(r, 0)).Order(StringComparer.Ordinal));
        var after = string.Join("\n", helplines.Routes.Select(r => CenterMerge.RouteFacts(r, 0)).Order(StringComparer.Ordinal));
        if (before == after)
        {
            report.Unchanged++;
            return;
        }
        var wasEmpty = current.Count == 0;
        // The directory's own routes behave like a centre's, with no centre: reuse the centre logic on a stand-in.
        var standIn = new Center
        {
            Name = "helplines", Address = new Address { Street1 = "", City = "", State = "", PostalCode = "" },
            Location = Wgs84.CreatePoint(new Coordinate(0, 0)), TimeZone = "UTC", Source = "", SourceId = "", CallRoutes = current,
        };
        CenterMerge.ApplyRoutes(db, standIn, helplines.Routes);
        foreach (var route in standIn.CallRoutes.Where(r => db.Entry(r).State == EntityState.Detached)) db.CallRoutes.Add(route);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (wasEmpty) report.Inserted++;
        else report.Updated++;
    }

    private static int? Age(double? value) => value switch
    {
        null => null,
        { } age when age == Math.Floor(age) && age is >= 0 and <= 150 => (int)age,
        { } age => throw new RowException($"age {age.ToString(CultureInfo.InvariantCulture)} is not a whole number of years"),
    };

    private static MultiPolygon ServiceArea(string geoJson)
    {
        Geometry? geometry;
        try
        {
            geometry = JsonSerializer.Deserialize<Geometry>(geoJson, HsdsExporter.GeoJson);
        }
        catch (JsonException e)
        {
            throw new RowException($"the service area is not GeoJSON: {e.Message}");
        }
        var area = geometry switch
        {
            MultiPolygon multi => multi,
            Polygon polygon => Wgs84.CreateMultiPolygon([polygon]),
            _ => throw new RowException($"the service area is a {geometry?.GeometryType ?? "null"}, not a (Multi)Polygon"),
        };
        area.SRID = 4326;
        return area;
    }

    private static MultiPolygon? FirstServiceArea(HsdsOrganization organization, HsdsLocation location) =>
        (organization.Services ?? [])
            .SelectMany(s => s.ServiceAtLocations ?? [])
            .Where(s => (s.LocationId ?? s.Location?.Id) == location.Id)
            .SelectMany(s => s.ServiceAreas ?? [])
            .Where(a => a.ExtentType == "geojson" && a.Extent is not null)
            .Select(a => ServiceArea(a.Extent!))
            .FirstOrDefault();

    internal static DayOfWeek Day(string code) => code.Trim().ToUpperInvariant() switch
    {
        "MO" => DayOfWeek.Monday,
        "TU" => DayOfWeek.Tuesday,
        "WE" => DayOfWeek.Wednesday,
        "TH" => DayOfWeek.Thursday,
        "FR" => DayOfWeek.Friday,
        "SA" => DayOfWeek.Saturday,
        "SU" => DayOfWeek.Sunday,
        _ => throw new RowException($"'{code}' is not a day (MO, TU, WE, TH, FR, SA, SU)"),
    };

    internal static TimeOnly Time(string? value) =>
        TimeOnly.TryParseExact(value?.Trim(), ["HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new RowException($"'{value}' is not a local time (HH:mm)");

    /// <summary>This directory's attributes on one HSDS record, read by vocabulary.</summary>
    private sealed class Facts(List<HsdsAttribute>? attributes)
    {
        private readonly List<(Vocabulary Vocabulary, string? Member, string? Value)> _facts =
            [.. (attributes ?? []).Select(a => (DirectoryTaxonomy.Read(a), a.Value)).Where(x => x.Item1 is not null)
                .Select(x => (x.Item1!.Value.Vocabulary, x.Item1.Value.Member, x.Value))];

        public bool Has(Vocabulary vocabulary) => _facts.Any(f => f.Vocabulary == vocabulary);

        public IEnumerable<(string? Member, string? Value)> All(Vocabulary vocabulary) =>
            _facts.Where(f => f.Vocabulary == vocabulary).Select(f => (f.Member, f.Value));

        public string? Value(Vocabulary vocabulary) => All(vocabulary).Select(f => f.Value).FirstOrDefault(v => v is not null);

        public List<T> Members<T>(Vocabulary vocabulary) where T : struct, Enum =>
            [.. All(vocabulary).Select(f => Parse<T>(vocabulary, f.Member))];

        public T? Member<T>(Vocabulary vocabulary) where T : struct, Enum =>
            All(vocabulary).Select(f => f.Member).FirstOrDefault() is { } member ? Parse<T>(vocabulary, member) : null;

        public bool? Bool(Vocabulary vocabulary) => Value(vocabulary) switch
        {
            null => null,
            "true" => true,
            "false" => false,
            var other => throw new RowException($"{vocabulary.Code} '{other}' is not true or false"),
        };

        public decimal? Decimal(Vocabulary vocabulary) => Value(vocabulary) is not { } text ? null
            : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value
            : throw new RowException($"{vocabulary.Code} '{text}' is not a number");

        public int? Int(Vocabulary vocabulary) => Value(vocabulary) is not { } text ? null
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
            : throw new RowException($"{vocabulary.Code} '{text}' is not a whole number");

        public DateTimeOffset? Instant(Vocabulary vocabulary) => Value(vocabulary) is not { } text ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value.ToUniversalTime()
            : throw new RowException($"{vocabulary.Code} '{text}' is not an ISO 8601 instant");

        public static T Parse<T>(Vocabulary vocabulary, string? member) where T : struct, Enum =>
            member is not null && Enum.TryParse<T>(member, out var value) && Enum.IsDefined(value) && !char.IsDigit(member[0])
                ? value
                : throw new RowException($"{vocabulary.Code}:{member} is not a known value");
    }

    private sealed class RowException(string message) : Exception(message);
}
