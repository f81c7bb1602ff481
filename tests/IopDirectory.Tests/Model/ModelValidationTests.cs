using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;

namespace IopDirectory.Tests.Model;

/// <summary>Every rule of the model rejects bad data with a clear code, and writes nothing.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class ModelValidationTests(TestDatabase database) : IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await database.CreateCopyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Center ValidCenter(string sourceId) => new()
    {
        Name = "Test Harbor Recovery",
        Address = new Address { Street1 = "1 Test Way", City = "Tempe", State = "AZ", PostalCode = "85281" },
        Location = new Point(-111.94, 33.42) { SRID = 4326 },
        TimeZone = "America/Phoenix",
        Source = "test",
        SourceId = sourceId,
        LevelsOfCare = [LevelOfCare.IntensiveOutpatient],
        Phones = [new Phone { Kind = PhoneKind.Intake, Number = "+14805550142" }],
        Programs =
        [
            new IopProgram
            {
                Name = "Evening IOP", MinHoursPerWeek = 9, MaxHoursPerWeek = 12, MinDaysPerWeek = 3, MaxDaysPerWeek = 4,
                ServiceCodes = ["GROUP_COUNSELING", "FAMILY_THERAPY"],
                Tracks = [new Track { Kind = TrackKind.Evening, Sessions = [new TrackSession { Weekday = DayOfWeek.Monday, StartsAt = new(18, 0), EndsAt = new(21, 0) }] }],
            },
        ],
    };

    private async Task<(int Centers, int Programs, int Phones, int Routes)> CountsAsync()
    {
        await using var db = TestDatabase.CreateContext(_connectionString);
        return (await db.Centers.CountAsync(), await db.Programs.CountAsync(), await db.Phones.CountAsync(), await db.CallRoutes.CountAsync());
    }

    private async Task<DirectoryValidationException> RejectedAsync(Action<Center> breakIt)
    {
        var before = await CountsAsync();
        await using var db = TestDatabase.CreateContext(_connectionString);
        var center = ValidCenter(Guid.NewGuid().ToString());
        breakIt(center);
        db.Centers.Add(center);
        var error = await Assert.ThrowsAsync<DirectoryValidationException>(() => db.SaveChangesAsync());
        Assert.Equal(before, await CountsAsync());
        return error;
    }

    [Fact]
    public async Task A_valid_centre_is_written_with_its_children()
    {
        var before = await CountsAsync();
        await using var db = TestDatabase.CreateContext(_connectionString);
        db.Centers.Add(ValidCenter("valid-1"));
        await db.SaveChangesAsync();
        var after = await CountsAsync();
        Assert.Equal(before.Centers + 1, after.Centers);
        Assert.Equal(before.Programs + 1, after.Programs);
        Assert.Equal(before.Phones + 1, after.Phones);
    }

    [Theory]
    [InlineData("555-1234", "INVALID_PHONE")]
    [InlineData("+1 480 555 0142", "INVALID_PHONE")] // not E.164 form
    [InlineData("call us", "INVALID_PHONE")]
    public async Task A_bad_phone_is_rejected(string number, string code)
    {
        var error = await RejectedAsync(c => c.Phones[0].Number = number);
        Assert.Contains(error.Errors, e => e.Code == code && e.Field == "phones.number");
    }

    [Theory]
    [InlineData(91, -111.9)]
    [InlineData(-90.5, 10)]
    [InlineData(33.4, 180.01)]
    [InlineData(double.NaN, 0)]
    public async Task Coordinates_out_of_range_are_rejected(double latitude, double longitude)
    {
        var error = await RejectedAsync(c => c.Location = new Point(longitude, latitude) { SRID = 4326 });
        Assert.Contains(error.Errors, e => e.Code == "INVALID_COORDINATES");
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "timeZone", "INVALID_TIME_ZONE")]
    [InlineData("", "name", "INVALID_NAME")]
    public async Task Bad_centre_fields_are_rejected(string value, string field, string code)
    {
        var error = await RejectedAsync(c =>
        {
            if (field == "timeZone") c.TimeZone = value;
            else c.Name = value;
        });
        Assert.Contains(error.Errors, e => e.Code == code && e.Field == field);
    }

    [Fact]
    public async Task Address_rules_reject_unknown_states_and_zips()
    {
        var error = await RejectedAsync(c => c.Address = new Address { Street1 = "x", City = "Tempe", State = "XX", PostalCode = "8528" });
        Assert.Contains(error.Errors, e => e.Code == "INVALID_STATE");
        Assert.Contains(error.Errors, e => e.Code == "INVALID_POSTAL_CODE");
    }

    [Fact]
    public async Task Program_rules_reject_bad_ranges_unknown_services_and_backwards_sessions()
    {
        var error = await RejectedAsync(c =>
        {
            var program = c.Programs[0];
            program.MinHoursPerWeek = 12;
            program.MaxHoursPerWeek = 9;
            program.MinDaysPerWeek = 0;
            program.ServiceCodes.Add("ASTROLOGY");
            program.Tracks[0].Sessions[0].EndsAt = new TimeOnly(17, 0);
            program.Tracks.Add(new Track { Kind = TrackKind.Weekend, Sessions = [new TrackSession { Weekday = DayOfWeek.Tuesday, StartsAt = new(9, 0), EndsAt = new(12, 0) }] });
        });
        Assert.Contains(error.Errors, e => e.Field == "programs.hoursPerWeek");
        Assert.Contains(error.Errors, e => e.Field == "programs.daysPerWeek");
        Assert.Contains(error.Errors, e => e.Code == "UNKNOWN_SERVICE");
        Assert.Equal(2, error.Errors.Count(e => e.Code == "INVALID_SCHEDULE"));
    }

    [Fact]
    public async Task A_tracking_number_routed_away_from_its_centre_is_rejected()
    {
        await using var seeded = TestDatabase.CreateContext(_connectionString);
        var ids = await seeded.Centers.OrderBy(c => c.Id).Select(c => c.Id).Take(2).ToListAsync();
        var before = await CountsAsync();

        await using var db = TestDatabase.CreateContext(_connectionString);
        db.CallRoutes.Add(new CallRoute
        {
            CenterId = ids[0],
            Number = "+16025550177",
            Kind = DisplayedNumberKind.TrackingNumber,
            DestinationKind = RouteDestinationKind.Facility,
            DestinationCenterId = ids[1],
            DestinationNumber = "+16025550178",
            AnsweredAllHours = true,
            AnswerTimeZone = "America/Phoenix",
        });
        var error = await Assert.ThrowsAsync<DirectoryValidationException>(() => db.SaveChangesAsync());
        Assert.Contains(error.Errors, e => e.Code == "ROUTES_AWAY_FROM_LISTING");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public void Paid_placements_and_partner_routes_need_a_disclosure()
    {
        var route = new CallRoute
        {
            Number = "+18005550199",
            Kind = DisplayedNumberKind.DirectoryHotline,
            DestinationKind = RouteDestinationKind.PartnerNetwork,
            PartnerNetworkName = "Example Partner Network",
            DestinationNumber = "+18005550100",
            AnsweredAllHours = false,
            AnswerTimeZone = "America/New_York",
            IsPaidPlacement = true,
        };
        Assert.Contains(route.Validate(), e => e.Code == "MISSING_DISCLOSURE");
        Assert.Contains(route.Validate(), e => e.Code == "INVALID_SCHEDULE");
    }

    [Fact]
    public async Task The_database_itself_refuses_a_listing_number_that_rings_another_centre()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO call_routes (center_id, number, kind, destination_kind, destination_center_id, destination_number,
                                     answered_all_hours, answer_time_zone, is_paid_placement, callbacks_offered)
            SELECT a.id, '+16025550188', 'TrackingNumber', 'Facility', b.id, '+16025550189', true, 'America/Phoenix', false, false
            FROM (SELECT id FROM centers ORDER BY id LIMIT 1) a, (SELECT id FROM centers ORDER BY id OFFSET 1 LIMIT 1) b
            """, connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal("ck_call_routes_listing_rings_its_centre", error.ConstraintName);
    }

    [Fact]
    public void Validation_failures_become_bad_user_input_with_details()
    {
        var error = Errors.From(new DirectoryValidationException([new("phones.number", "bad", "INVALID_PHONE")]));
        Assert.Equal("BAD_USER_INPUT", error.Code);
        var details = Assert.IsAssignableFrom<IEnumerable<Dictionary<string, object?>>>(error.Data["details"]);
        Assert.Equal("INVALID_PHONE", details.Single()["code"]);
    }
}
