using System.Text.Json.Nodes;
using IopDirectory.Data;
using IopDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static IopDirectory.Tests.Matching.MatchingTestKit;

namespace IopDirectory.Tests.Matching;

/// <summary>Who may match callers, how bad input is answered, what it costs in SQL, and that payment never ranks.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class MatchCallerRulesTests(TestDatabase database)
{
    private const string Query = "query($input: CallerNeedsInput!) { matchCaller(input: $input) { totalMatches matches { center { name } } } }";

    private static readonly object Valid = new { zip = "85251", at = TuesdayAt10 };

    [Theory]
    [InlineData(null, "UNAUTHENTICATED")]
    [InlineData("PARTNER", "FORBIDDEN")]
    [InlineData("EDITOR", "FORBIDDEN")]
    [InlineData("ADMIN", "FORBIDDEN")]
    public async Task Only_hotline_operators_may_match_callers(string? role, string code)
    {
        var api = Api(database.SharedConnectionString);
        var body = await api.GraphQLAsync(Query, new { input = Valid }, token: role is null ? null : api.TokenFor(role));
        Assert.Null(body["data"]);
        Assert.Equal(code, (string)body["errors"]![0]!["extensions"]!["code"]!);
        Assert.Equal(["matchCaller"], body["errors"]![0]!["path"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public async Task A_hotline_operator_may_match_callers()
    {
        var api = Api(database.SharedConnectionString);
        var body = await api.GraphQLAsync(Query, new { input = Valid }, token: api.TokenFor("HOTLINE"));
        Assert.Null(body["errors"]);
        Assert.True((int)body["data"]!["matchCaller"]!["totalMatches"]! > 0); // the seed has centres around Scottsdale
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{ "near": { "latitude": 33.4, "longitude": -112 }, "zip": "85004" }""", "input.near" },
        { """{ "at": "2026-03-10T17:00:00Z" }""", "input.near" },
        { """{ "near": { "latitude": 91, "longitude": -112 } }""", "input.near.latitude" },
        { """{ "near": { "latitude": 33.4, "longitude": -190 } }""", "input.near.longitude" },
        { """{ "zip": "8525" }""", "input.zip" },
        { """{ "zip": "00000" }""", "input.zip" },
        { """{ "areaCode": "60" }""", "input.areaCode" },
        { """{ "areaCode": "155" }""", "input.areaCode" },
        { """{ "areaCode": "800" }""", "input.areaCode" },
        { """{ "zip": "85004", "maxDistance": { "value": 600, "unit": "KILOMETERS" } }""", "input.maxDistance" },
        { """{ "zip": "85004", "maxDistance": { "value": 0 } }""", "input.maxDistance" },
        { """{ "zip": "85004", "first": 0 }""", "input.first" },
        { """{ "zip": "85004", "first": 21 }""", "input.first" },
        { """{ "zip": "85004", "age": -1 }""", "input.age" },
        { """{ "zip": "85004", "carrier": "ACME" }""", "input.carrier" },
        { """{ "zip": "85004", "language": "Klingon" }""", "input.language" },
        { """{ "zip": "85004", "services": ["FAMILY_THERAPY", "ASTROLOGY"] }""", "input.services" },
        { """{ "zip": "85004", "availability": [{ "weekday": "MONDAY", "from": "25:00", "until": "21:00" }] }""", "input.availability[0].from" },
        { """{ "zip": "85004", "availability": [{ "weekday": "MONDAY", "from": "18:00", "until": "21:00" }, { "weekday": "TUESDAY", "from": "21:00", "until": "18:00" }] }""", "input.availability[1].until" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_bad_user_input_naming_the_argument(string input, string argument)
    {
        var api = Api(database.SharedConnectionString);
        var body = await api.GraphQLAsync(Query, new { input = JsonNode.Parse(input) }, token: api.TokenFor("HOTLINE"));
        var error = body["errors"]![0]!;
        Assert.Equal("BAD_USER_INPUT", (string)error["extensions"]!["code"]!);
        Assert.Equal(argument, (string)error["extensions"]!["argument"]!);
        Assert.DoesNotContain("Exception", (string)error["message"]!);
    }

    [Fact]
    public async Task Matching_costs_a_fixed_number_of_statements_whatever_the_page()
    {
        var api = Api(await PhoenixMetro.SharedAsync(database));
        const string selection = "totalMatches matches { center { name sponsorship { label } } program { name } track { kind sessions { weekday } } transfer { rule } } relaxSuggestions { drop matches }";
        async Task<long> StatementsAsync(object input)
        {
            var counter = api.Services.GetRequiredService<SqlStatementCounter>();
            var before = counter.Count;
            var result = await MatchAsync(api, input, selection);
            Assert.NotEmpty(result["matches"]!.AsArray());
            return counter.Count - before;
        }

        await MatchAsync(api, new { near = Hub, at = TuesdayAt10, first = 1 }, "totalMatches"); // warm-up

        // Candidates, programs, their tracks (+sessions), facility lines (+hours), and the listing's routes for `sponsorship`.
        var everything = new { near = Hub, maxDistance = new { value = 500, unit = "KILOMETERS" }, telehealthOk = true, at = TuesdayAt10 };
        Assert.Equal(5, await StatementsAsync(new { near = Hub, maxDistance = new { value = 500, unit = "KILOMETERS" }, telehealthOk = true, at = TuesdayAt10, first = 1 }));
        Assert.Equal(5, await StatementsAsync(new { near = Hub, maxDistance = new { value = 500, unit = "KILOMETERS" }, telehealthOk = true, at = TuesdayAt10, first = 20 }));
        Assert.Equal(43, (int)(await MatchAsync(api, everything, "totalMatches"))["totalMatches"]!);
        // A carrier adds one statement: which candidates are in its network.
        Assert.Equal(6, await StatementsAsync(new { near = Hub, carrier = "AETNA", at = TuesdayAt10, first = 20 }));
    }

    /// <summary>The profiles of <see cref="CallerProfileTests"/>, asked again with every paid placement flipped.</summary>
    private static readonly object[] Profiles =
    [
        new { near = Hub, schedules = new[] { "EVENING" }, payerType = "MEDICAID", age = 16, at = TuesdayAt10 },
        new { near = Hub, schedules = new[] { "EVENING" }, payerType = "MEDICAID", age = 16, at = TuesdayAt3 },
        new { near = Hub, schedules = new[] { "WEEKEND" }, payerType = "MILITARY", carrier = "TRICARE", services = new[] { "FAMILY_THERAPY" }, at = SaturdayAt11 },
        new { near = Hub, payerType = "PRIVATE_INSURANCE", carrier = "BCBS", schedules = new[] { "EVENING" }, age = 40, services = new[] { "MAT_BUPRENORPHINE" }, conditions = new[] { "OPIOID_USE" }, at = TuesdayAt1930 },
        new { near = new { latitude = 35.1983, longitude = -111.6513 }, telehealthOk = true, payerType = "MEDICAID", age = 30, at = TuesdayAt10 },
        new { areaCode = "602", maxDistance = new { value = 2, unit = "MILES" }, at = TuesdayAt10 },
        new { near = Hub, maxDistance = new { value = 10, unit = "MILES" }, payerType = "MEDICARE", schedules = new[] { "WEEKEND" }, age = 70, at = TuesdayAt10 },
        new
        {
            near = Hub, age = 35, at = TuesdayAt10,
            availability = new object[] { new { weekday = "MONDAY", from = "17:30", until = "21:30" }, new { weekday = "SATURDAY", from = "08:00", until = "12:30" } },
        },
        new { near = Hub, payerType = "MEDICAID", schedules = new[] { "EVENING" }, age = 40, language = "es", services = new[] { "MAT_BUPRENORPHINE" }, at = TuesdayAt10, first = 20 },
        new { near = Hub, payerType = "PRIVATE_INSURANCE", carrier = "AETNA", schedules = new[] { "DAY" }, age = 28, steppingDownFromResidential = true, at = TuesdayAt10 },
        new { zip = "85281", maxDistance = new { value = 5, unit = "KILOMETERS" }, age = 30, at = TuesdayAt10 },
        new { near = Hub, maxDistance = new { value = 40, unit = "MILES" }, payerType = "SELF_PAY", schedules = new[] { "WEEKEND" }, age = 45, services = new[] { "YOGA" }, at = SaturdayAt11 },
        new { near = Hub, telehealthOk = true, maxDistance = new { value = 5, unit = "MILES" }, payerType = "MEDICAID", at = TuesdayAt1930, first = 20 },
        new { near = Hub, carrier = "CIGNA", age = 50, at = TuesdayAt10, first = 20 },
        new { near = Hub, maxDistance = new { value = 500, unit = "KILOMETERS" }, telehealthOk = true, at = TuesdayAt10, first = 20 },
    ];

    /// <summary>Everything but the fields that disclose sponsorship (which must change when it changes).</summary>
    private const string RankingSelection = """
        totalMatches matchedCenters candidatesConsidered
        matches { rank score center { id name } program { id name } track { kind } distance { meters } viaTelehealth intakeAnsweredNow
          reasons { code message points } gaps { code message points } transfer { number destinationNumber rule answered afterHoursLabel } }
        relaxSuggestions { drop matches centers nearest { meters } }
        excluded(first: 50) { center { id } program { id } track { kind } failed reasons { code message } }
        """;

    [Fact]
    public async Task Paid_placement_never_changes_a_score_or_the_order()
    {
        var connectionString = await PhoenixMetro.BuildAsync(database);
        var api = Api(connectionString);
        var before = new List<string>();
        foreach (var profile in Profiles)
            before.Add((await MatchAsync(api, profile, RankingSelection)).ToJsonString());

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var flip = new NpgsqlCommand(
                "UPDATE call_routes SET is_paid_placement = NOT is_paid_placement, disclosure = coalesce(disclosure, 'Sponsored listing (test).')", connection);
            Assert.Equal(29, await flip.ExecuteNonQueryAsync());
        }

        // The flip is visible where sponsorship is disclosed...
        var disclosed = await MatchAsync(api, Profiles[^1], "matches { center { name sponsorship { label } } transfer { isPaidPlacement } }");
        var biltmore = disclosed["matches"]!.AsArray().First(m => (string)m!["center"]!["name"]! == PhoenixMetro.ByKey("C20").Name)!;
        Assert.Null(biltmore["center"]!["sponsorship"]);
        Assert.False((bool)biltmore["transfer"]!["isPaidPlacement"]!);
        Assert.Contains(disclosed["matches"]!.AsArray(), m => m!["center"]!["sponsorship"] is not null);

        // ...and nowhere else: every profile answers byte for byte as before.
        for (var i = 0; i < Profiles.Length; i++)
            Assert.Equal(before[i], (await MatchAsync(api, Profiles[i], RankingSelection)).ToJsonString());
    }
}
