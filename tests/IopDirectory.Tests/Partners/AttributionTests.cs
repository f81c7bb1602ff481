using System.Text.Json.Nodes;
using IopDirectory.CallRouting;
using IopDirectory.GraphQL;
using IopDirectory.Partners;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Partners;

/// <summary>
/// A partner's tracking number replaces the centre's numbers on that centre's listing, for that partner only;
/// never a number that rings anywhere else; usage is counted by day.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class AttributionTests(TestDatabase database)
{
    private const string Listings = """
        query($ids: [ID!]!) { nodes(ids: $ids) { ... on Center { id name displayedNumbers { number kind routesTo { centerId } } } } }
        """;

    internal const string TrackingNumber = "+14805550142";

    /// <summary>The widget's search in the browser tests: evening programs near 85251 that take Medicaid.</summary>
    internal const string WidgetSearch = """
        { searchCenters(nearZip: "85251", filter: { tracks: [EVENING], payerTypes: [MEDICAID] }, first: 5) { nodes { id name } } }
        """;

    /// <summary>The two nearest centres the widget lists, and a tracking number on the first that rings it, held by a partner.</summary>
    internal static async Task<(string[] CenterIds, string Key, string PartnerId, string RouteId)> SetUpAsync(PartnerApi api, string connection, string[]? origins = null)
    {
        var found = await api.AdminAsync(WidgetSearch.Replace("first: 5", "first: 2"));
        var ids = found["searchCenters"]!["nodes"]!.AsArray().Select(n => (string)n!["id"]!).ToArray();
        var centerId = GlobalId.Decode(ids[0])!.Value.Id;
        int routeId;
        await using (var db = TestDatabase.CreateContext(connection))
        {
            var route = new CallRoute
            {
                CenterId = centerId, Number = TrackingNumber, Kind = DisplayedNumberKind.TrackingNumber,
                DestinationKind = RouteDestinationKind.Facility, DestinationCenterId = centerId, DestinationNumber = "+14805550143",
                AnsweredAllHours = true, AnswerTimeZone = "America/Phoenix",
                Disclosure = "Calls ring the centre's intake; Recovery Times is credited for the referral.",
            };
            db.CallRoutes.Add(route);
            await db.SaveChangesAsync();
            routeId = route.Id;
        }
        var (partnerId, key) = await api.CreatePartnerAsync("Recovery Times", origins ?? []);
        var routeGlobalId = GlobalId.Encode(DisplayedNumberType.TypeName, routeId);
        await api.AdminAsync("mutation($p: ID!, $r: [ID!]!) { setPartnerTrackingNumbers(partnerId: $p, routeIds: $r) { trackingNumbers { number } } }",
            new { p = partnerId, r = new[] { routeGlobalId } });
        return (ids, key, partnerId, routeGlobalId);
    }

    private static List<string> Numbers(JsonNode body, int index) =>
        body["data"]!["nodes"]![index]!["displayedNumbers"]!.AsArray().Select(n => (string)n!["number"]!).ToList();

    [Fact]
    public async Task The_partner_sees_its_tracking_number_on_its_own_listings_and_nobody_else_does()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (ids, key, _, _) = await SetUpAsync(api, connection);
        var (_, otherKey) = await api.CreatePartnerAsync("Another Site", []);

        var (_, anonymous) = await api.SendAsync(Listings, new { ids });
        var (_, partner) = await api.SendAsync(Listings, new { ids }, key: key);
        var (_, other) = await api.SendAsync(Listings, new { ids }, key: otherKey);

        Assert.DoesNotContain(TrackingNumber, Numbers(anonymous!, 0));
        Assert.DoesNotContain(TrackingNumber, Numbers(other!, 0));
        Assert.Equal(Numbers(anonymous!, 0), Numbers(other!, 0));

        // On its own listing the partner's number takes the place of the centre's numbers.
        var shown = partner!["data"]!["nodes"]![0]!["displayedNumbers"]!.AsArray();
        Assert.Equal(TrackingNumber, (string)shown[0]!["number"]!);
        Assert.Equal("TRACKING_NUMBER", (string)shown[0]!["kind"]!);
        Assert.Equal(ids[0], (string)shown[0]!["routesTo"]!["centerId"]!);
        Assert.All(shown.Skip(1), n => Assert.Equal("DIRECTORY_HOTLINE", (string)n!["kind"]!));

        // The other listing, which it holds no number for, is unchanged.
        Assert.Equal(Numbers(anonymous!, 1), Numbers(partner, 1));
    }

    [Fact]
    public async Task Only_tracking_numbers_that_ring_their_own_listing_can_be_given_to_a_partner()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (_, _, partnerId, route) = await SetUpAsync(api, connection);

        // A directory hotline (rings a partner network) is not a listing's tracking number.
        await using var db = TestDatabase.CreateContext(connection);
        var directoryHotline = db.CallRoutes.First(r => r.Kind == DisplayedNumberKind.DirectoryHotline);
        var facilityLine = db.CallRoutes.First(r => r.Kind == DisplayedNumberKind.FacilityLine);
        foreach (var refused in new[] { directoryHotline.Id, facilityLine.Id })
        {
            var (_, body) = await api.SendAsync("mutation($p: ID!, $r: [ID!]!) { setPartnerTrackingNumbers(partnerId: $p, routeIds: $r) { id } }",
                new { p = partnerId, r = new[] { route, GlobalId.Encode(DisplayedNumberType.TypeName, refused) } }, token: api.Admin);
            Assert.Equal("BAD_USER_INPUT", (string)body!["errors"]![0]!["extensions"]!["code"]!);
        }
        // Refused as a whole: the partner still holds only its number.
        db.ChangeTracker.Clear();
        Assert.Equal([TrackingNumber], db.CallRoutes.Where(r => r.PartnerId != null).Select(r => r.Number).ToList());
    }

    [Fact]
    public void A_partner_number_that_rings_another_centre_is_never_swapped_in()
    {
        var partner = new Partner { Id = 7, Name = "Recovery Times" };
        CallRoute Route(string number, DisplayedNumberKind kind, int center, int destination, int? partnerId) => new()
        {
            Number = number, Kind = kind, CenterId = center, DestinationKind = RouteDestinationKind.Facility,
            DestinationCenterId = destination, DestinationNumber = "+14805550100", AnsweredAllHours = true, AnswerTimeZone = "America/Phoenix", PartnerId = partnerId,
        };
        var facility = Route("+14805550100", DisplayedNumberKind.FacilityLine, 1, 1, null);
        // Rows the database would refuse, built in memory: the rule holds even if one slipped through.
        var ringsElsewhere = Route("+14805550144", DisplayedNumberKind.TrackingNumber, 1, 2, 7);
        var notTracking = Route("+14805550145", DisplayedNumberKind.FacilityLine, 1, 1, 7);
        var othersListing = Route("+14805550146", DisplayedNumberKind.TrackingNumber, 2, 2, 7);

        var shown = PartnerAttribution.Shown([facility, ringsElsewhere, notTracking, othersListing], 1, partner);
        Assert.Equal([facility], shown);

        var good = Route("+14805550147", DisplayedNumberKind.TrackingNumber, 1, 1, 7);
        Assert.Equal([good], PartnerAttribution.Shown([facility, good], 1, partner));
        Assert.Equal([facility], PartnerAttribution.Shown([facility, good], 1, null));
        Assert.Equal([facility], PartnerAttribution.Shown([facility, good], 1, new Partner { Id = 8, Name = "Other" }));
        Assert.Empty(good.Validate());
        Assert.Contains(notTracking.Validate(), e => e.Code == "INVALID_ROUTE");
    }

    [Fact]
    public async Task Admin_reads_requests_and_listings_shown_by_day()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (ids, key, partnerId, _) = await SetUpAsync(api, connection);

        await api.SendAsync(Listings, new { ids }, key: key);
        await api.SendAsync(Listings, new { ids = ids.Take(1).ToArray() }, key: key);
        api.Clock.Advance(TimeSpan.FromDays(1));
        await api.SendAsync("{ searchCenters(nearZip: \"85251\", first: 3) { nodes { name } } }", key: key);
        await api.SendAsync(Listings, new { ids }); // anonymous: not the partner's

        var usage = await api.AdminAsync("query($id: ID!) { partnerUsage(partnerId: $id, days: 7) { day requests listingsShown } }", new { id = partnerId });
        var days = usage["partnerUsage"]!.AsArray();
        Assert.Equal(2, days.Count);
        Assert.Equal("2026-11-25", (string)days[0]!["day"]!);
        Assert.Equal(2, (int)days[0]!["requests"]!);
        Assert.Equal(3, (int)days[0]!["listingsShown"]!);
        Assert.Equal("2026-11-26", (string)days[1]!["day"]!);
        Assert.Equal(1, (int)days[1]!["requests"]!);
        Assert.Equal(3, (int)days[1]!["listingsShown"]!);
    }
}
