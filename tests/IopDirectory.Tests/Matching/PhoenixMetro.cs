using System.Text.Json;
using System.Text.Json.Serialization;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;

namespace IopDirectory.Tests.Matching;

/// <summary>
/// The designed Phoenix metro of phoenix-metro.json (30 centres) in a private copy of the seeded
/// database whose own centres are deleted first. Numbers follow one rule: centre Cnn's intake line
/// (and facility-line route) is +1 AAA 555-01nn, its main line +1 AAA 555-01(nn+50).
/// </summary>
public static class PhoenixMetro
{
    public const string TimeZone = "America/Phoenix";

    /// <summary>Downtown Phoenix, the hub most callers are at.</summary>
    public const double HubLatitude = 33.4484;
    public const double HubLongitude = -112.0740;

    /// <summary>Simplified outlines (lon, lat) for telehealth service areas.</summary>
    public static readonly double[][] Arizona =
    [
        [-114.82, 32.50], [-111.07, 31.33], [-109.05, 31.33], [-109.05, 37.00], [-114.05, 37.00], [-114.05, 36.19], [-114.75, 35.10], [-114.82, 32.50],
    ];

    public static readonly double[][] MaricopaCounty =
    [
        [-113.33, 32.50], [-111.04, 32.50], [-111.04, 34.05], [-113.33, 34.05], [-113.33, 32.50],
    ];

    public sealed record TrackSpec(string Kind, string Sessions);

    public sealed record ProgramSpec(string Name, int? MinAge, int? MaxAge, bool StepsDown, bool Telehealth, bool? InPerson, List<string> Services, List<TrackSpec> Tracks);

    public sealed record RouteSpec(string Hours, string? Fallback, string? FallbackLabel, bool Paid, string? Disclosure);

    public sealed record CenterSpec(
        string Key, string Name, string City, string Zip, double Lat, double Lon, string Area, string? ServiceArea,
        List<string> Payers, List<string> Carriers, List<string> Languages, List<string> Populations, List<string> Conditions,
        bool Accepting, List<ProgramSpec> Programs, RouteSpec? Route)
    {
        public int Number => int.Parse(Key[1..]);
        public string Intake => $"+1{Area}55501{Number:00}";
        public string Main => $"+1{Area}55501{Number + 50:00}";
    }

    private sealed record FixtureFile(List<CenterSpec> Centers);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    public static IReadOnlyList<CenterSpec> Centers { get; } =
        JsonSerializer.Deserialize<FixtureFile>(File.ReadAllText(Path.Combine(Repository.Root, "tests", "IopDirectory.Tests", "Matching", "phoenix-metro.json")), Json)!
            .Centers;

    public static CenterSpec ByKey(string key) => Centers.Single(c => c.Key == key);

    public static string KeyOf(string name) => Centers.Single(c => c.Name == name).Key;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _shared;

    /// <summary>One read-only metro database for the run (built on first use).</summary>
    public static async Task<string> SharedAsync(TestDatabase database)
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= await BuildAsync(database);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A fresh private copy with the metro in it (for tests that write).</summary>
    public static async Task<string> BuildAsync(TestDatabase database)
    {
        var connectionString = await database.CreateCopyAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            // Routing decisions reference routes, routes reference centres (restrict); programs, tracks,
            // sessions, phones, plans and answer hours cascade.
            await using var command = new NpgsqlCommand(
                "DELETE FROM routing_decisions; DELETE FROM callback_requests; DELETE FROM call_routes; DELETE FROM centers;", connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var db = TestDatabase.CreateContext(connectionString);
        foreach (var spec in Centers)
        {
            var center = ToCenter(spec);
            db.Centers.Add(center);
            await db.SaveChangesAsync();
            // Program ids follow the fixture's order: the tie-break tests rely on it.
            Assert.True(center.Programs.Select(p => p.Id).SequenceEqual(center.Programs.Select(p => p.Id).Order()), $"{spec.Key}: program ids out of order");
            if (spec.Route is { } route)
            {
                db.CallRoutes.Add(ToRoute(spec, route, center.Id));
                await db.SaveChangesAsync();
            }
        }
        Assert.Equal(30, await db.Centers.CountAsync());
        return connectionString;
    }

    private static Center ToCenter(CenterSpec spec) => new()
    {
        Name = spec.Name,
        Description = $"Designed test centre {spec.Key}.",
        Address = new Address { Street1 = $"{100 + spec.Number} E Example St", City = spec.City, State = "AZ", PostalCode = spec.Zip },
        Location = new Point(spec.Lon, spec.Lat) { SRID = 4326 },
        TimeZone = TimeZone,
        Source = "test-phoenix",
        SourceId = spec.Key,
        LevelsOfCare = [LevelOfCare.IntensiveOutpatient, LevelOfCare.Outpatient],
        AcceptingNewPatients = spec.Accepting,
        Languages = spec.Languages,
        Populations = spec.Populations.Select(Enum.Parse<Population>).ToList(),
        Conditions = spec.Conditions.Select(Enum.Parse<Condition>).ToList(),
        PayerTypes = spec.Payers.Select(Enum.Parse<PayerType>).ToList(),
        ServiceArea = spec.ServiceArea switch
        {
            null => null,
            "ARIZONA" => Area(Arizona),
            "MARICOPA" => Area(MaricopaCounty),
            var other => throw new InvalidOperationException($"Unknown service area {other}"),
        },
        Phones = [new Phone { Kind = PhoneKind.Intake, Number = spec.Intake }, new Phone { Kind = PhoneKind.Main, Number = spec.Main }],
        InsurancePlans = spec.Carriers.Select(c => new InsurancePlan { CarrierCode = c }).ToList(),
        Programs = spec.Programs.Select(p => new IopProgram
        {
            Name = p.Name,
            MinHoursPerWeek = 9,
            MaxHoursPerWeek = 12,
            MinDaysPerWeek = 2,
            MaxDaysPerWeek = 5,
            MinDurationWeeks = 6,
            MaxDurationWeeks = 12,
            StepsDown = p.StepsDown,
            Telehealth = p.Telehealth,
            InPerson = p.InPerson ?? true,
            MinAge = p.MinAge,
            MaxAge = p.MaxAge,
            ServiceCodes = p.Services,
            Tracks = p.Tracks.Select(t => new Track { Kind = Enum.Parse<TrackKind>(t.Kind), Sessions = Sessions(t.Sessions) }).ToList(),
        }).ToList(),
    };

    private static CallRoute ToRoute(CenterSpec spec, RouteSpec route, int centerId) => new()
    {
        CenterId = centerId,
        Number = spec.Intake,
        Kind = DisplayedNumberKind.FacilityLine,
        DestinationKind = RouteDestinationKind.Facility,
        DestinationCenterId = centerId,
        DestinationNumber = spec.Intake,
        AnsweredAllHours = route.Hours == "24/7",
        AnswerTimeZone = TimeZone,
        Hours = route.Hours == "24/7" ? [] : Hours(route.Hours),
        AfterHoursNumber = route.Fallback == "main" ? spec.Main : route.Fallback,
        AfterHoursLabel = route.FallbackLabel,
        IsPaidPlacement = route.Paid,
        Disclosure = route.Disclosure,
    };

    private static MultiPolygon Area(double[][] ring) =>
        new([new Polygon(new LinearRing(ring.Select(p => new Coordinate(p[0], p[1])).ToArray()))]) { SRID = 4326 };

    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    private static DayOfWeek Day(string name) => (DayOfWeek)Array.IndexOf(Days, name);

    /// <summary>"Mon Wed 18:00-21:00; Sat 09:00-12:00".</summary>
    public static List<TrackSession> Sessions(string text) =>
        (from part in text.Split(';', StringSplitOptions.TrimEntries)
         let tokens = part.Split(' ', StringSplitOptions.RemoveEmptyEntries)
         let times = tokens[^1].Split('-')
         from day in tokens[..^1]
         select new TrackSession { Weekday = Day(day), StartsAt = TimeOnly.Parse(times[0]), EndsAt = TimeOnly.Parse(times[1]) }).ToList();

    /// <summary>"Mon-Fri 08:00-17:00; Sat 09:00-13:00".</summary>
    public static List<AnswerHours> Hours(string text) =>
        (from part in text.Split(';', StringSplitOptions.TrimEntries)
         let tokens = part.Split(' ', StringSplitOptions.RemoveEmptyEntries)
         let times = tokens[1].Split('-')
         let range = tokens[0].Split('-')
         let first = Array.IndexOf(Days, range[0])
         let last = Array.IndexOf(Days, range[^1])
         from day in Enumerable.Range(first, last - first + 1)
         select new AnswerHours { Weekday = (DayOfWeek)day, OpensAt = TimeOnly.Parse(times[0]), ClosesAt = TimeOnly.Parse(times[1]) }).ToList();
}
