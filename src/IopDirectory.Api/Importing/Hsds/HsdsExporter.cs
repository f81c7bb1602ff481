using System.Globalization;
using System.Text.Json;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Programs;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace IopDirectory.Importing.Hsds;

/// <summary>
/// Writes the whole directory as one HSDS page of organizations: each centre (retired ones too) with its location and
/// one service per program, then the directory's own helplines. Centres are read and written 500 at a time, so the
/// directory never has to fit in memory.
/// </summary>
public static class HsdsExporter
{
    private const int PageSize = 500;

    internal static readonly JsonSerializerOptions GeoJson = new()
    {
        Converters = { new GeoJsonConverterFactory(new GeometryFactory(new PrecisionModel(), 4326)) },
    };

    /// <returns>How many organizations were written.</returns>
    public static async Task<int> ExportAsync(DbContextOptions<DirectoryDbContext> options, Stream output, ImportProgress? progress,
        CancellationToken cancellationToken)
    {
        await using var db = new DirectoryDbContext(options);
        var centers = await db.Centers.CountAsync(cancellationToken);
        var helplines = await db.CallRoutes.Where(r => r.CenterId == null).Include(r => r.Hours).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var total = centers + (helplines.Count > 0 ? 1 : 0);

        // Compact: a rich directory is ~45 kB of HSDS a centre (every attribute carries its taxonomy term); jq pretty-prints it.
        await using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = HsdsJson.Options.Encoder });
        writer.WriteStartObject();
        writer.WriteNumber("total_items", total);
        writer.WriteNumber("total_pages", 1);
        writer.WriteNumber("page_number", 1);
        writer.WriteNumber("size", total);
        writer.WriteBoolean("first_page", true);
        writer.WriteBoolean("last_page", true);
        writer.WriteBoolean("empty", total == 0);
        writer.WriteStartArray("contents");

        var written = 0;
        var lastId = 0;
        while (true)
        {
            db.ChangeTracker.Clear();
            var page = await db.Centers.AsNoTracking()
                .Where(c => c.Id > lastId).OrderBy(c => c.Id).Take(PageSize)
                .Include(c => c.Phones).Include(c => c.InsurancePlans)
                .Include(c => c.Programs).ThenInclude(p => p.Tracks).ThenInclude(t => t.Sessions)
                .Include(c => c.CallRoutes).ThenInclude(r => r.Hours)
                .AsSplitQuery()
                .ToListAsync(cancellationToken);
            if (page.Count == 0) break;
            var others = await DestinationsAsync(db, page.SelectMany(c => c.CallRoutes), cancellationToken);
            foreach (var center in page)
            {
                JsonSerializer.Serialize(writer, Organization(center, others), HsdsJson.Options);
                written++;
                progress?.Report(written);
                if (writer.BytesPending > 1 << 16) await writer.FlushAsync(cancellationToken);
            }
            lastId = page[^1].Id;
        }
        if (helplines.Count > 0)
        {
            var others = await DestinationsAsync(db, helplines, cancellationToken);
            JsonSerializer.Serialize(writer, DirectoryOrganization(helplines, others), HsdsJson.Options);
            written++;
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
        progress?.Report(written, final: true);
        return written;
    }

    /// <summary>The (source, source id) of every centre these routes ring, by id.</summary>
    private static async Task<Dictionary<int, string>> DestinationsAsync(DirectoryDbContext db, IEnumerable<CallRoute> routes,
        CancellationToken cancellationToken)
    {
        var ids = routes.Where(r => r.DestinationCenterId is not null && r.DestinationCenterId != r.CenterId)
            .Select(r => r.DestinationCenterId!.Value).Distinct().ToList();
        if (ids.Count == 0) return new Dictionary<int, string>();
        return await db.Centers.Where(c => ids.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => $"{c.Source}:{c.SourceId}", cancellationToken);
    }

    private static HsdsOrganization Organization(Center c, Dictionary<int, string> others)
    {
        var key = new[] { "center", c.Source, c.SourceId };
        var organizationId = HsdsIds.For([.. key, "organization"]);
        var locationId = HsdsIds.For([.. key, "location"]);
        return new HsdsOrganization
        {
            Id = organizationId,
            Name = c.Name,
            Description = c.Description ?? "",
            Website = c.Website,
            Locations = [Location(c, key, organizationId, locationId, others)],
            Services = [.. c.Programs.OrderBy(p => p.Id).Select((p, i) => Service(c, p, i, key, organizationId, locationId))],
        };
    }

    private static HsdsLocation Location(Center c, string[] key, string organizationId, string locationId, Dictionary<int, string> others)
    {
        HsdsAttribute Fact(Vocabulary vocabulary, string? member = null, string? value = null) =>
            DirectoryTaxonomy.Attribute("location", locationId, vocabulary, member, value);

        var attributes = new List<HsdsAttribute> { Fact(Vocabularies.TimeZone, value: c.TimeZone) };
        attributes.AddRange(c.LevelsOfCare.Select(l => Fact(Vocabularies.LevelOfCare, l.ToString())));
        attributes.Add(Fact(Vocabularies.AcceptingNewPatients, value: Bool(c.AcceptingNewPatients)));
        attributes.AddRange(c.Accreditations.Select(a => Fact(Vocabularies.Accreditation, a.ToString())));
        if (c.StateLicenseNumber is not null) attributes.Add(Fact(Vocabularies.StateLicenseNumber, value: c.StateLicenseNumber));
        attributes.AddRange(c.Populations.Select(p => Fact(Vocabularies.Population, p.ToString())));
        attributes.AddRange(c.Conditions.Select(x => Fact(Vocabularies.Condition, x.ToString())));
        attributes.AddRange(c.PayerTypes.Select(p => Fact(Vocabularies.PayerType, p.ToString())));
        attributes.AddRange(c.InsurancePlans.OrderBy(p => p.Id).Select(p => Fact(Vocabularies.Carrier, p.CarrierCode, p.PlanName)));
        attributes.Add(Fact(Vocabularies.FreeConsultation, value: Bool(c.FreeConsultation)));
        if (c.ServiceArea is not null) attributes.Add(Fact(Vocabularies.ServiceArea, value: JsonSerializer.Serialize<Geometry>(c.ServiceArea, GeoJson)));
        if (c.LastVerifiedAt is { } verified) attributes.Add(Fact(Vocabularies.LastVerifiedAt, value: Instant(verified)));
        if (c.VerificationSource is not null) attributes.Add(Fact(Vocabularies.VerificationSource, value: c.VerificationSource));
        if (c.RetiredAt is { } retired) attributes.Add(Fact(Vocabularies.RetiredAt, value: Instant(retired)));

        var phones = c.Phones.OrderBy(p => p.Id).Select((p, i) =>
        {
            var id = HsdsIds.For([.. key, "phone", i.ToString(CultureInfo.InvariantCulture)]);
            return new HsdsPhone
            {
                Id = id,
                LocationId = locationId,
                Number = p.Number,
                Extension = p.Extension,
                Type = "voice",
                Description = Taxonomy.Labels.Of(p.Kind),
                Attributes = [DirectoryTaxonomy.Attribute("phone", id, Vocabularies.PhoneKind, p.Kind.ToString())],
            };
        });
        var routes = c.CallRoutes.OrderBy(r => r.Id).Select(r => RoutePhone(r, HsdsIds.For([.. key, "route", r.Number]), locationId, null, others));

        return new HsdsLocation
        {
            Id = locationId,
            LocationType = "physical",
            OrganizationId = organizationId,
            Name = c.Name,
            Latitude = c.Latitude,
            Longitude = c.Longitude,
            ExternalIdentifier = c.SourceId,
            ExternalIdentifierType = c.Source,
            Languages = [.. c.Languages.Select((code, i) => new HsdsLanguage
            {
                Id = HsdsIds.For([.. key, "language", i.ToString(CultureInfo.InvariantCulture)]),
                LocationId = locationId,
                Name = Taxonomy.Languages.All.GetValueOrDefault(code),
                Code = code,
            })],
            Addresses =
            [
                new HsdsAddress
                {
                    Id = HsdsIds.For([.. key, "address"]),
                    LocationId = locationId,
                    Address1 = c.Address.Street1,
                    Address2 = c.Address.Street2,
                    City = c.Address.City,
                    Region = c.Address.County,
                    StateProvince = c.Address.State,
                    PostalCode = c.Address.PostalCode,
                    Country = "US",
                    AddressType = "physical",
                },
            ],
            Phones = [.. phones, .. routes],
            Attributes = attributes,
        };
    }

    private static HsdsService Service(Center c, IopProgram p, int index, string[] key, string organizationId, string locationId)
    {
        var id = HsdsIds.For([.. key, "program", index.ToString(CultureInfo.InvariantCulture)]);
        HsdsAttribute Fact(Vocabulary vocabulary, string? member = null, string? value = null) => DirectoryTaxonomy.Attribute("service", id, vocabulary, member, value);

        var attributes = new List<HsdsAttribute>
        {
            Fact(Vocabularies.LevelOfCare, nameof(Taxonomy.LevelOfCare.IntensiveOutpatient)),
            // As stored, scale included (9.0 stays 9.0), so the import writes back the very same numeric.
            Fact(Vocabularies.MinHoursPerWeek, value: p.MinHoursPerWeek.ToString(CultureInfo.InvariantCulture)),
            Fact(Vocabularies.MaxHoursPerWeek, value: p.MaxHoursPerWeek.ToString(CultureInfo.InvariantCulture)),
            Fact(Vocabularies.MinDaysPerWeek, value: CenterMerge.Format(p.MinDaysPerWeek)),
            Fact(Vocabularies.MaxDaysPerWeek, value: CenterMerge.Format(p.MaxDaysPerWeek)),
        };
        if (p.MinDurationWeeks is { } minWeeks) attributes.Add(Fact(Vocabularies.MinDurationWeeks, value: CenterMerge.Format(minWeeks)));
        if (p.MaxDurationWeeks is { } maxWeeks) attributes.Add(Fact(Vocabularies.MaxDurationWeeks, value: CenterMerge.Format(maxWeeks)));
        attributes.Add(Fact(Vocabularies.StepsDown, value: Bool(p.StepsDown)));
        if (p.InPerson) attributes.Add(Fact(Vocabularies.Delivery, "InPerson"));
        if (p.Telehealth) attributes.Add(Fact(Vocabularies.Delivery, "Telehealth"));
        attributes.AddRange(p.ServiceCodes.Select(code => Fact(Vocabularies.Service, code)));

        var atLocationId = HsdsIds.For([.. key, "program", index.ToString(CultureInfo.InvariantCulture), "at-location"]);
        var schedules = new List<HsdsSchedule>();
        foreach (var (track, number) in p.Tracks.OrderBy(t => t.Id).Select((t, i) => (t, i + 1)))
            foreach (var group in track.Sessions.GroupBy(s => (s.StartsAt, s.EndsAt)).OrderBy(g => g.Key))
            {
                var scheduleId = HsdsIds.For(atLocationId, "track", number.ToString(CultureInfo.InvariantCulture), Time(group.Key.StartsAt),
                    Time(group.Key.EndsAt));
                schedules.Add(new HsdsSchedule
                {
                    Id = scheduleId,
                    ServiceAtLocationId = atLocationId,
                    Freq = "WEEKLY",
                    Wkst = "MO",
                    Byday = string.Join(",", group.Select(s => s.Weekday).Distinct().OrderBy(d => ((int)d + 6) % 7).Select(Day)),
                    OpensAt = Time(group.Key.StartsAt),
                    ClosesAt = Time(group.Key.EndsAt),
                    Description = Taxonomy.Labels.Of(track.Kind),
                    Attributes = [DirectoryTaxonomy.Attribute("schedule", scheduleId, Vocabularies.Track, track.Kind.ToString(), number.ToString(CultureInfo.InvariantCulture))],
                });
            }

        return new HsdsService
        {
            Id = id,
            OrganizationId = organizationId,
            Name = p.Name,
            Description = p.Description,
            Status = c.RetiredAt is null ? "active" : "inactive",
            MinimumAge = p.MinAge,
            MaximumAge = p.MaxAge,
            AssuredDate = c.LastVerifiedAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Attributes = attributes,
            ServiceAtLocations =
            [
                new HsdsServiceAtLocation
                {
                    Id = atLocationId,
                    ServiceId = id,
                    LocationId = locationId,
                    Schedules = schedules,
                    // The standard form of the telehealth area, for other HSDS readers (this directory reads the attribute).
                    ServiceAreas = p.Telehealth && c.ServiceArea is not null
                        ?
                        [
                            new HsdsServiceArea
                            {
                                Id = HsdsIds.For(atLocationId, "service-area"),
                                ServiceAtLocationId = atLocationId,
                                Name = "Telehealth service area",
                                Extent = JsonSerializer.Serialize<Geometry>(c.ServiceArea, GeoJson),
                                ExtentType = "geojson",
                            },
                        ]
                        : null,
                },
            ],
        };
    }

    private static HsdsOrganization DirectoryOrganization(List<CallRoute> helplines, Dictionary<int, string> others)
    {
        var id = HsdsIds.For("directory", "organization");
        return new HsdsOrganization
        {
            Id = id,
            Name = "Directory helplines",
            Description = "Numbers the directory shows beside no single listing, and where each one rings.",
            Phones = [.. helplines.Select(r => RoutePhone(r, HsdsIds.For("directory", "route", r.Number), null, id, others))],
            Attributes = [DirectoryTaxonomy.Attribute("organization", id, Vocabularies.DirectoryHelplines)],
        };
    }

    /// <summary>A displayed number as an HSDS phone whose attributes say what it is and where it rings.</summary>
    private static HsdsPhone RoutePhone(CallRoute r, string id, string? locationId, string? organizationId, Dictionary<int, string> others)
    {
        HsdsAttribute Fact(Vocabulary vocabulary, string? member = null, string? value = null) => DirectoryTaxonomy.Attribute("phone", id, vocabulary, member, value);

        var attributes = new List<HsdsAttribute>
        {
            Fact(Vocabularies.DisplayedNumber, r.Kind.ToString()),
            Fact(Vocabularies.RouteDestination, r.DestinationKind.ToString()),
        };
        if (r.DestinationCenterId is { } destination && destination != r.CenterId) attributes.Add(Fact(Vocabularies.DestinationCenter, value: others[destination]));
        if (r.PartnerNetworkName is not null) attributes.Add(Fact(Vocabularies.PartnerNetwork, value: r.PartnerNetworkName));
        attributes.Add(Fact(Vocabularies.DestinationNumber, value: r.DestinationNumber));
        attributes.Add(Fact(Vocabularies.AnsweredAllHours, value: Bool(r.AnsweredAllHours)));
        attributes.Add(Fact(Vocabularies.AnswerTimeZone, value: r.AnswerTimeZone));
        attributes.AddRange(r.Hours.OrderBy(h => ((int)h.Weekday + 6) % 7).ThenBy(h => h.OpensAt)
            .Select(h => Fact(Vocabularies.AnswerHours, value: $"{Day(h.Weekday)} {Time(h.OpensAt)}-{Time(h.ClosesAt)}")));
        if (r.AfterHoursNumber is not null) attributes.Add(Fact(Vocabularies.AfterHoursNumber, value: r.AfterHoursNumber));
        if (r.AfterHoursLabel is not null) attributes.Add(Fact(Vocabularies.AfterHoursLabel, value: r.AfterHoursLabel));
        attributes.Add(Fact(Vocabularies.PaidPlacement, value: Bool(r.IsPaidPlacement)));
        if (r.Disclosure is not null) attributes.Add(Fact(Vocabularies.Disclosure, value: r.Disclosure));
        attributes.Add(Fact(Vocabularies.CallbacksOffered, value: Bool(r.CallbacksOffered)));
        return new HsdsPhone
        {
            Id = id,
            LocationId = locationId,
            OrganizationId = organizationId,
            Number = r.Number,
            Type = "voice",
            Description = r.Disclosure ?? Taxonomy.Labels.Of(r.Kind),
            Attributes = attributes,
        };
    }

    internal static string Bool(bool value) => value ? "true" : "false";

    internal static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>HH:mm, with seconds (and fractions) only when the time has them.</summary>
    internal static string Time(TimeOnly value) =>
        value.ToString(value.Second == 0 && value.Ticks % TimeSpan.TicksPerSecond == 0 ? "HH:mm" : "HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    internal static string Day(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "MO",
        DayOfWeek.Tuesday => "TU",
        DayOfWeek.Wednesday => "WE",
        DayOfWeek.Thursday => "TH",
        DayOfWeek.Friday => "FR",
        DayOfWeek.Saturday => "SA",
        _ => "SU",
    };
}
