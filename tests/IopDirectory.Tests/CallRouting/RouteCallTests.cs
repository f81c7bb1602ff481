using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IopDirectory.CallRouting;
using IopDirectory.GraphQL;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace IopDirectory.Tests.CallRouting;

/// <summary>routeCall over GraphQL: decisions, audit, and who may ask.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class RouteCallTests(TestDatabase database) : IAsyncLifetime
{
    private const string RouteCall = """
        mutation($number: String!, $at: DateTimeOffset) {
          routeCall(number: $number, at: $at) {
            number destinationNumber rule answered answerTimeZone localTime disclosure isPaidPlacement kind displayedOn
          }
        }
        """;

    private string _connectionString = "";
    private ApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await database.CreateCopyAsync();
        _api = new ApiFactory(_connectionString);
    }

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    /// <summary>A seeded facility line with hours and a fallback, and a moment inside and outside them.</summary>
    private async Task<(CallRoute Route, DateTimeOffset Open, DateTimeOffset Closed)> RouteWithHoursAsync()
    {
        await using var db = TestDatabase.CreateContext(_connectionString);
        var route = await db.CallRoutes.Include(r => r.Hours)
            .Where(r => !r.AnsweredAllHours && r.AfterHoursNumber != null && r.Kind == DisplayedNumberKind.FacilityLine)
            .OrderBy(r => r.Id).FirstAsync();
        var zone = DateTimeZoneProviders.Tzdb[route.AnswerTimeZone];
        var hours = route.Hours.OrderBy(h => h.Weekday).First();
        // The first date in 2026 on that weekday, at opening + 1 minute (open) and 1 minute before opening (closed).
        var date = new LocalDate(2026, 6, 1);
        while (CallRouter.ToDayOfWeek(date.DayOfWeek) != hours.Weekday) date = date.PlusDays(1);
        var open = date.At(new LocalTime(hours.OpensAt.Hour, hours.OpensAt.Minute).PlusMinutes(1)).InZoneLeniently(zone).ToDateTimeOffset();
        var closed = date.At(new LocalTime(hours.OpensAt.Hour, hours.OpensAt.Minute).PlusMinutes(-1)).InZoneLeniently(zone).ToDateTimeOffset();
        return (route, open, closed);
    }

    [Fact]
    public async Task A_call_inside_hours_goes_to_the_destination_and_outside_to_the_fallback()
    {
        var (route, open, closed) = await RouteWithHoursAsync();
        var token = _api.TokenFor("HOTLINE");

        var inside = (await _api.GraphQLAsync(RouteCall, new { number = route.Number, at = open }, token: token))["data"]!["routeCall"]!;
        Assert.Equal("BUSINESS_HOURS", (string?)inside["rule"]);
        Assert.Equal(route.DestinationNumber, (string?)inside["destinationNumber"]);
        Assert.True((bool)inside["answered"]!);
        Assert.Equal(GlobalId.Encode("Center", route.CenterId!.Value), (string?)inside["displayedOn"]);

        var outside = (await _api.GraphQLAsync(RouteCall, new { number = route.Number, at = closed }, token: token))["data"]!["routeCall"]!;
        Assert.Equal("AFTER_HOURS_FALLBACK", (string?)outside["rule"]);
        Assert.Equal(route.AfterHoursNumber, (string?)outside["destinationNumber"]);
    }

    [Fact]
    public async Task Numbers_are_accepted_in_common_formats()
    {
        var (route, open, _) = await RouteWithHoursAsync();
        var national = IopDirectory.Data.Rules.FormatNational(route.Number); // (480) 555-0123
        var body = await _api.GraphQLAsync(RouteCall, new { number = national, at = open }, token: _api.TokenFor("PARTNER"));
        Assert.Equal(route.Number, (string?)body["data"]!["routeCall"]!["number"]);
    }

    [Fact]
    public async Task Every_decision_is_recorded_and_only_admin_reads_the_log()
    {
        var (route, open, closed) = await RouteWithHoursAsync();
        var hotline = _api.TokenFor("HOTLINE");
        await _api.GraphQLAsync(RouteCall, new { number = route.Number, at = open }, token: hotline);
        await _api.GraphQLAsync(RouteCall, new { number = route.Number, at = closed }, token: hotline);

        const string Log = "query($number: String) { routingDecisions(number: $number, first: 10) { items { number callAt destinationNumber rule } hasMore } }";
        var items = (await _api.GraphQLAsync(Log, new { number = route.Number }, token: _api.TokenFor("ADMIN")))["data"]!["routingDecisions"]!["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal(["AFTER_HOURS_FALLBACK", "BUSINESS_HOURS"], items.Select(i => (string)i!["rule"]!));
        Assert.All(items, i => Assert.Equal(route.Number, (string?)i!["number"]));

        var denied = await _api.GraphQLAsync(Log, new { number = route.Number }, token: hotline);
        Assert.Equal("FORBIDDEN", (string?)denied["errors"]![0]!["extensions"]!["code"]);
        Assert.Null(denied["data"]);

        // The audit table holds no caller data: its columns are the decision's alone.
        await using var db = TestDatabase.CreateContext(_connectionString);
        var columns = db.Model.FindEntityType(typeof(RoutingDecision))!.GetProperties().Select(p => p.Name).Order().ToList();
        Assert.Equal(["CallAt", "CallRouteId", "DestinationCenterId", "DestinationNumber", "Id", "IsPaidPlacement", "Number", "PartnerNetworkName", "RecordedAt", "Rule"], columns);
    }

    [Fact]
    public async Task Anonymous_callers_cannot_route_and_nothing_is_recorded()
    {
        var (route, open, _) = await RouteWithHoursAsync();
        var body = await _api.GraphQLAsync(RouteCall, new { number = route.Number, at = open });
        Assert.Equal("UNAUTHENTICATED", (string?)body["errors"]![0]!["extensions"]!["code"]);
        await using var db = TestDatabase.CreateContext(_connectionString);
        Assert.Equal(0, await db.RoutingDecisions.CountAsync());
    }

    [Fact]
    public async Task An_invalid_token_gets_401()
    {
        using var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");
        using var response = await client.PostAsync("/graphql", new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("UNAUTHENTICATED", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("not a number", "BAD_USER_INPUT")]
    [InlineData("+1 646 555 0987", "NOT_FOUND")] // valid, and shown nowhere in the seed
    public async Task Bad_and_unknown_numbers_get_clear_errors(string number, string code)
    {
        var body = await _api.GraphQLAsync(RouteCall, new { number }, token: _api.TokenFor("HOTLINE"));
        Assert.Equal(code, (string?)body["errors"]![0]!["extensions"]!["code"]);
    }

    [Fact]
    public async Task A_sponsored_listing_carries_its_disclosure_wherever_it_is_returned()
    {
        await using var db = TestDatabase.CreateContext(_connectionString);
        var paid = await db.CallRoutes.Where(r => r.IsPaidPlacement && r.CenterId != null).OrderBy(r => r.Id).FirstAsync();
        var center = await db.Centers.FirstAsync(c => c.Id == paid.CenterId);
        var id = GlobalId.Encode("Center", center.Id);

        var body = await _api.GraphQLAsync("""
            query($id: ID!, $lat: Float!, $lng: Float!) {
              center(id: $id) { sponsorship { label disclosure } }
              node(id: $id) { ... on Center { sponsorship { disclosure } } }
              searchCenters(near: { latitude: $lat, longitude: $lng }, radius: { value: 1, unit: KILOMETERS }) { nodes { id sponsorship { disclosure } } }
              centers(first: 100) { nodes { id sponsorship { disclosure } } }
            }
            """, new { id, lat = center.Latitude, lng = center.Longitude });
        var data = body["data"]!;
        Assert.Equal(paid.Disclosure, (string?)data["center"]!["sponsorship"]!["disclosure"]);
        Assert.Equal("Sponsored", (string?)data["center"]!["sponsorship"]!["label"]);
        Assert.Equal(paid.Disclosure, (string?)data["node"]!["sponsorship"]!["disclosure"]);
        Assert.Equal(paid.Disclosure, (string?)data["searchCenters"]!["nodes"]!.AsArray().Single(n => (string?)n!["id"] == id)!["sponsorship"]!["disclosure"]);
        Assert.Equal(paid.Disclosure, (string?)data["centers"]!["nodes"]!.AsArray().Single(n => (string?)n!["id"] == id)!["sponsorship"]!["disclosure"]);

        var unpaidIds = await db.Centers.Where(c => !db.CallRoutes.Any(r => r.CenterId == c.Id && r.IsPaidPlacement)).Select(c => c.Id).ToListAsync();
        Assert.All(data["centers"]!["nodes"]!.AsArray().Where(n => unpaidIds.Select(u => GlobalId.Encode("Center", u)).Contains((string?)n!["id"])),
            n => Assert.Null(n!["sponsorship"]));
    }
}
