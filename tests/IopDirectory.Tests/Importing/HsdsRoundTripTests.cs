using System.Text.Json;
using System.Text.Json.Nodes;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Importing.Hsds;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using NetTopologySuite.Geometries;
using static IopDirectory.Tests.Importing.ImportTestKit;

namespace IopDirectory.Tests.Importing;

/// <summary>Open Referral HSDS: the directory exported and imported into an empty database is the same directory, field for field.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class HsdsRoundTripTests(TestDatabase database, ITestOutputHelper output) : IAsyncLifetime
{
    private string _source = "";
    private string _file = "";

    public async Task InitializeAsync()
    {
        _source = await database.CreateCopyAsync();
        await WidenTheSampleAsync(_source);
        _file = Path.Combine(Path.GetTempPath(), $"iop-hsds-{Guid.NewGuid():N}.json");
        await using var output = File.Create(_file);
        await HsdsExporter.ExportAsync(Options(_source), output, null, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        File.Delete(_file);
        // Each test writes its own database copies: close their idle pooled connections, or a full run runs out of slots.
        Npgsql.NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Export_then_import_into_an_empty_database_reproduces_every_centre_and_child_exactly()
    {
        var target = await EmptyCopyAsync(database);

        var report = await ImportAsync(target, "hsds", _file);
        output.WriteLine(Text(report));

        Assert.Empty(report.Rejected);
        Assert.Equal(0, report.Updated);
        var expected = await DirectoryAsync(_source);
        var actual = await DirectoryAsync(target);
        Assert.Equal(expected.Count, report.Inserted); // every centre, and the helplines as one row
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, json) in expected)
            Assert.Equal(json, actual[key]);

        // And a second import of the same file finds nothing to change.
        var stamp = await WriteStampAsync(target);
        var again = await ImportAsync(target, "hsds", _file);
        output.WriteLine(Text(again));
        Assert.Equal((0, 0, report.Inserted), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Equal(stamp, await WriteStampAsync(target));
    }

    [Fact]
    public async Task The_export_is_an_hsds_page_of_organizations_with_standard_fields_and_the_directory_taxonomy()
    {
        var page = JsonNode.Parse(await File.ReadAllTextAsync(_file))!;
        var contents = page["contents"]!.AsArray();
        Assert.Equal(contents.Count, page["total_items"]!.GetValue<int>());

        var labrador = contents.Single(o => o!["name"]!.GetValue<string>() == "Labrador Tea Treatment Center")!;
        Assert.True(Guid.TryParse(labrador["id"]!.GetValue<string>(), out _));
        var location = labrador["locations"]![0]!;
        Assert.Equal("physical", location["location_type"]!.GetValue<string>());
        Assert.Equal(61.215841, location["latitude"]!.GetValue<double>());
        Assert.Equal("seed-001", location["external_identifier"]!.GetValue<string>());
        Assert.Equal(("915 C St", "Suite 403", "AK"), (location["addresses"]![0]!["address_1"]!.GetValue<string>(),
            location["addresses"]![0]!["address_2"]!.GetValue<string>(), location["addresses"]![0]!["state_province"]!.GetValue<string>()));
        Assert.Contains(location["attributes"]!.AsArray(), a => a!["taxonomy_term"]!["code"]!.GetValue<string>() == "time_zone"
            && a["value"]!.GetValue<string>() == "America/Anchorage" && a["taxonomy_term"]!["taxonomy"]!.GetValue<string>() == DirectoryTaxonomy.Name);

        var program = labrador["services"]![0]!;
        Assert.Equal("Intensive Outpatient Program", program["name"]!.GetValue<string>());
        Assert.Equal(18, program["minimum_age"]!.GetValue<int>());
        var evening = program["service_at_locations"]![0]!["schedules"]![0]!;
        Assert.Equal(("WEEKLY", "MO,TU,TH", "17:30", "20:30"), (evening["freq"]!.GetValue<string>(), evening["byday"]!.GetValue<string>(),
            evening["opens_at"]!.GetValue<string>(), evening["closes_at"]!.GetValue<string>()));
        Assert.Equal("track:Evening", evening["attributes"]![0]!["taxonomy_term"]!["code"]!.GetValue<string>());

        var helplines = contents[^1]!;
        Assert.Equal("Directory helplines", helplines["name"]!.GetValue<string>());
        Assert.Contains(helplines["phones"]!.AsArray(), p => p!["number"]!.GetValue<string>() == "+18445550100");
    }

    [Fact]
    public async Task Plain_hsds_from_another_directory_lands_its_standard_fields_and_leaves_the_rest_unknown()
    {
        const string json = """
            [{
              "id": "6f0d3c52-1111-4a3e-9d6b-0a1b2c3d4e5f", "name": "Bayside Recovery Services", "description": "", "website": "https://bayside.example",
              "locations": [{
                "id": "7a1e2b3c-2222-4d5e-8f90-112233445566", "location_type": "physical", "name": "Main office",
                "latitude": "30.4084", "longitude": -87.2148,
                "addresses": [{ "address_1": "500 Harbor Drive", "address_2": "Suite 3", "city": "Pensacola", "state_province": "fl", "postal_code": "32502",
                                "country": "US", "address_type": "physical" }],
                "languages": [{ "name": "Spanish", "code": "es" }, { "name": "Klingon", "code": "tlh" }],
                "phones": [{ "number": "(850) 555-0123", "extension": 4, "type": "voice" }]
              }],
              "services": [{ "id": "8b2f3c4d-3333-4e6f-9a01-223344556677", "name": "Counseling", "status": "active" }]
            },
            { "id": "9c3a4d5e-4444-4f70-8b12-334455667788", "name": "No Site Org", "description": "Virtual only",
              "locations": [{ "id": "0d4b5e6f-5555-4081-9c23-445566778899", "location_type": "virtual" }] }]
            """;
        var file = Path.Combine(Path.GetTempPath(), $"iop-foreign-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            var target = await EmptyCopyAsync(database);
            var report = await ImportAsync(target, "hsds", file);

            Assert.Equal(1, report.Inserted);
            Assert.Equal(new("contents[1]", "organization 9c3a4d5e-4444-4f70-8b12-334455667788 has no physical location"), Assert.Single(report.Rejected));
            Assert.Equal(1, report.Notes["service without IOP intensity (hours and days per week) not imported as a program"]);
            Assert.Equal(1, report.Notes["language code 'tlh' is not in the directory's list, left out"]);

            await using var db = TestDatabase.CreateContext(target);
            var center = await db.Centers.Include(c => c.Phones).Include(c => c.Programs).SingleAsync();
            Assert.Equal(("hsds", "7a1e2b3c-2222-4d5e-8f90-112233445566"), (center.Source, center.SourceId));
            Assert.Equal(("Bayside Recovery Services", null, "FL", "America/Chicago"), (center.Name, center.Description, center.Address.State, center.TimeZone));
            Assert.Equal(("500 Harbor Drive", "Suite 3"), (center.Address.Street1, center.Address.Street2));
            Assert.Equal(["es"], center.Languages);
            Assert.Equal((PhoneKind.Main, "+18505550123", "4"), (center.Phones[0].Kind, center.Phones[0].Number, center.Phones[0].Extension));
            Assert.Empty(center.Programs);
            var audit = await db.AuditEntries.ToListAsync();
            Assert.Equal(["Center", "Phone"], audit.Select(a => a.ResourceType).Order());
            Assert.All(audit, a => Assert.Equal((HsdsImporter.Actor, "CREATE"), (a.Actor, a.Action)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Puts into the sample what it lacks, so the round trip covers it: a retired centre verified by phone, a session
    /// with seconds, an extension with a leading zero, a disclosed partner hotline on a listing, and a directory-wide
    /// number that rings a centre.
    /// </summary>
    private static async Task WidenTheSampleAsync(string connectionString)
    {
        await using var db = TestDatabase.CreateContext(connectionString);
        var centers = await db.Centers.Include(c => c.Phones).Include(c => c.Programs).ThenInclude(p => p.Tracks).ThenInclude(t => t.Sessions)
            .OrderBy(c => c.SourceId).Take(4).ToListAsync();
        centers[1].RetiredAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_560);
        centers[1].VerificationSource = "phone call to intake";
        centers[3].Programs[0].Tracks[0].Sessions[0].StartsAt = new TimeOnly(17, 30, 15);
        centers[3].Programs[0].Tracks[0].Sessions[0].EndsAt = new TimeOnly(20, 30, 15);
        centers[2].Phones[0].Extension = "012";
        db.CallRoutes.Add(new CallRoute
        {
            CenterId = centers[2].Id, Number = "+18005550177", Kind = DisplayedNumberKind.DirectoryHotline,
            DestinationKind = RouteDestinationKind.PartnerNetwork, PartnerNetworkName = "Lanternway Care Network", DestinationNumber = "+18885550100",
            AnswerTimeZone = "America/Chicago", Hours = [new AnswerHours { Weekday = DayOfWeek.Saturday, OpensAt = new(9, 0), ClosesAt = new(13, 0) }],
            AfterHoursNumber = "+18445550100", AfterHoursLabel = "24/7 helpline", IsPaidPlacement = true,
            Disclosure = "Paid placement. Answered by Lanternway Care Network, not by this centre.",
        });
        db.CallRoutes.Add(new CallRoute
        {
            Number = "+18005550178", Kind = DisplayedNumberKind.DirectoryHotline, DestinationKind = RouteDestinationKind.Facility,
            DestinationCenterId = centers[3].Id, DestinationNumber = centers[3].Phones[0].Number, AnsweredAllHours = true, AnswerTimeZone = centers[3].TimeZone,
            Disclosure = "Rings one centre directly.", CallbacksOffered = true,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>Every centre (by source and source id) and the directory-wide numbers, as JSON with children in a fixed order and no database ids.</summary>
    private static async Task<Dictionary<string, string>> DirectoryAsync(string connectionString)
    {
        await using var db = TestDatabase.CreateContext(connectionString);
        var centers = await db.Centers.AsNoTracking()
            .Include(c => c.Phones).Include(c => c.InsurancePlans)
            .Include(c => c.Programs).ThenInclude(p => p.Tracks).ThenInclude(t => t.Sessions)
            .Include(c => c.CallRoutes).ThenInclude(r => r.Hours)
            .AsSplitQuery().ToListAsync();
        var keys = centers.ToDictionary(c => c.Id, c => $"{c.Source}:{c.SourceId}");
        var helplines = await db.CallRoutes.AsNoTracking().Where(r => r.CenterId == null).Include(r => r.Hours).ToListAsync();

        static string Json(object value) => JsonSerializer.Serialize(value);
        static List<string> Set<T>(IEnumerable<T> items, Func<T, object> project) => [.. items.Select(i => Json(project(i))).Order(StringComparer.Ordinal)];
        object Route(CallRoute r) => new
        {
            r.Number, r.Kind, r.DestinationKind,
            Destination = r.DestinationCenterId is { } id ? keys[id] : null,
            ShownOn = r.CenterId is { } shown ? keys[shown] : null,
            r.PartnerNetworkName, r.DestinationNumber, r.AnsweredAllHours, r.AnswerTimeZone,
            Hours = Set(r.Hours, h => new { h.Weekday, h.OpensAt, h.ClosesAt }),
            r.AfterHoursNumber, r.AfterHoursLabel, r.IsPaidPlacement, r.Disclosure, r.CallbacksOffered,
        };
        static object? Area(MultiPolygon? area) => area?.Geometries.Cast<Polygon>()
            .Select(p => new[] { p.Shell }.Concat(p.Holes).Select(ring => ring.Coordinates.Select(c => new[] { c.X, c.Y })));

        var directory = centers.ToDictionary(c => keys[c.Id], c => Json(new
        {
            c.Name, c.Description, c.Website,
            c.Address.Street1, c.Address.Street2, c.Address.City, c.Address.State, c.Address.PostalCode, c.Address.County,
            c.Latitude, c.Longitude, Srid = c.Location.SRID, c.TimeZone,
            c.LevelsOfCare, c.AcceptingNewPatients, c.Accreditations, c.StateLicenseNumber, c.Languages, c.Populations, c.Conditions,
            ServiceArea = Area(c.ServiceArea), c.PayerTypes, c.FreeConsultation, c.Source, c.SourceId,
            c.LastVerifiedAt, c.VerificationSource, c.RetiredAt,
            Phones = Set(c.Phones, p => new { p.Kind, p.Number, p.Extension }),
            InsurancePlans = Set(c.InsurancePlans, p => new { p.CarrierCode, p.PlanName }),
            Programs = Set(c.Programs, p => new
            {
                p.Name, p.Description, p.MinHoursPerWeek, p.MaxHoursPerWeek, p.MinDaysPerWeek, p.MaxDaysPerWeek, p.MinDurationWeeks, p.MaxDurationWeeks,
                p.StepsDown, p.Telehealth, p.InPerson, p.MinAge, p.MaxAge, p.ServiceCodes,
                Tracks = Set(p.Tracks, t => new { t.Kind, Sessions = Set(t.Sessions, s => new { s.Weekday, s.StartsAt, s.EndsAt }) }),
            }),
            CallRoutes = Set(c.CallRoutes, Route),
        }));
        directory["(directory helplines)"] = Json(Set(helplines, Route));
        return directory;
    }
}
