using System.Text.Json.Nodes;
using IopDirectory.Auth;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Editing;

/// <summary>
/// The editing API end to end over HTTP on a copy of the seeded database: a scripted session by an admin and a
/// centre's own editor, its audit trail, stale writes, validation and who may edit what.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class EditingTests(TestDatabase database)
{
    private const string CenterFields = "id name version acceptingNewPatients verification { lastVerifiedAt source stale } "
        + "payment { payerTypes insurancePlans { carrierCode } } phones { kind number } programs { id name tracks { kind sessions { weekday startsAt endsAt } } }";

    private static string Token(ApiFactory api, string subject, string role) =>
        AuthSetup.MintToken(new AuthOptions { SigningKey = ApiFactory.SigningKey }, subject, [role], TimeSpan.FromHours(1));

    private static async Task<JsonNode> Ok(ApiFactory api, string query, object? variables, string token)
    {
        var body = await api.GraphQLAsync(query, variables, token: token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!;
    }

    private static async Task<JsonNode> CenterAsync(ApiFactory api, string id, string token) =>
        (await Ok(api, $"query($id: ID!) {{ node(id: $id) {{ ... on Center {{ {CenterFields} }} }} }}", new { id }, token))["node"]!;

    private const string CreateCenter = """
        mutation($input: CenterInput!) { createCenter(input: $input) { center { id name version } userErrors { field code } } }
        """;

    private static readonly object NewCenter = new
    {
        name = "Saguaro Evening Recovery",
        address = new { street1 = "100 W Main St", city = "Mesa", state = "AZ", postalCode = "85201" },
        location = new { latitude = 33.4152, longitude = -111.8315 },
        timeZone = "America/Phoenix",
        levelsOfCare = new[] { "INTENSIVE_OUTPATIENT" },
    };

    [Fact]
    public async Task A_scripted_session_by_an_admin_and_the_centres_editor_is_recorded_change_by_change()
    {
        await using var api = new ApiFactory(await database.CreateCopyAsync());
        var admin = Token(api, "ada", Roles.Admin);
        var editor = Token(api, "eli", Roles.Editor);

        // 1. ADMIN lists a centre and assigns it to its editor.
        var created = (await Ok(api, CreateCenter, new { input = NewCenter }, admin))["createCenter"]!;
        Assert.Empty(created["userErrors"]!.AsArray());
        var id = (string)created["center"]!["id"]!;
        Assert.True((bool)(await Ok(api, "mutation($id: ID!) { assignEditor(centerId: $id, subject: \"eli\") }", new { id }, admin))["assignEditor"]!);

        // 2. The editor renames it, adds an evening program, sets insurance and phones, and verifies the listing.
        var version = (string)created["center"]!["version"]!;
        async Task<JsonNode> Edit(string mutation, string arguments, object variables)
        {
            var data = await Ok(api, $"mutation($id: ID!, $v: String!{arguments}) {{ {mutation} {{ center {{ version }} userErrors {{ field code }} }} }}",
                variables, editor);
            var payload = data.AsObject().Single().Value!;
            Assert.Empty(payload["userErrors"]!.AsArray());
            version = (string)payload["center"]!["version"]!;
            return payload;
        }
        await Edit("updateCenter(centerId: $id, expectedVersion: $v, input: { name: \"Saguaro Recovery Mesa\" })", "", new { id, v = version });
        await Edit("saveProgram(centerId: $id, expectedVersion: $v, input: $p)", ", $p: ProgramInput!", new
        {
            id, v = version,
            p = new
            {
                name = "Evening IOP", minHoursPerWeek = 9, maxHoursPerWeek = 12, minDaysPerWeek = 3, maxDaysPerWeek = 3, minAge = 18,
                services = new[] { "GROUP_COUNSELING", "FAMILY_THERAPY" },
                tracks = new[]
                {
                    new { kind = "EVENING", sessions = new[] { new { weekday = "MONDAY", startsAt = "18:00", endsAt = "21:00" },
                        new { weekday = "WEDNESDAY", startsAt = "18:00", endsAt = "21:00" } } },
                },
            },
        });
        await Edit("setInsurance(centerId: $id, expectedVersion: $v, input: { payerTypes: [MEDICAID, SELF_PAY], carriers: [\"AETNA\"] })", "", new { id, v = version });
        await Edit("setPhones(centerId: $id, expectedVersion: $v, phones: [{ kind: INTAKE, number: \"(480) 555-0142\" }])", "", new { id, v = version });
        await Edit("verifyCenter(centerId: $id, expectedVersion: $v, source: \"phone call to intake\")", "", new { id, v = version });

        var center = await CenterAsync(api, id, admin);
        Assert.Equal("Saguaro Recovery Mesa", (string)center["name"]!);
        Assert.Equal("+14805550142", (string)center["phones"]![0]!["number"]!);
        Assert.Equal(["MEDICAID", "SELF_PAY"], center["payment"]!["payerTypes"]!.AsArray().Select(p => (string)p!).Order());
        Assert.Equal("EVENING", (string)center["programs"]![0]!["tracks"]![0]!["kind"]!);
        Assert.False((bool)center["verification"]!["stale"]!);
        Assert.Equal("phone call to intake", (string)center["verification"]!["source"]!);

        // 3. The audit log tells the story, in order, with who did what.
        var log = (await Ok(api, """
            query($id: ID!) { auditLog(centerId: $id, first: 100) { totalCount edges { node { changeId resourceType action field oldValue newValue actor } } } }
            """, new { id }, admin))["auditLog"]!;
        var entries = log["edges"]!.AsArray().Select(e => e!["node"]!).ToList();
        Assert.Equal((int)log["totalCount"]!, entries.Count);
        Assert.Equal(("Center", "CREATE", "ada (ADMIN)"), ((string)entries[0]["resourceType"]!, (string)entries[0]["action"]!, (string)entries[0]["actor"]!));
        Assert.Contains("Saguaro Evening Recovery", (string)entries[0]["newValue"]!);

        var rename = Assert.Single(entries, e => (string?)e["field"] == "name");
        Assert.Equal(("Saguaro Evening Recovery", "Saguaro Recovery Mesa", "eli (EDITOR)"),
            ((string)rename["oldValue"]!, (string)rename["newValue"]!, (string)rename["actor"]!));
        Assert.Single(entries, e => (string)e["resourceType"]! == "Program" && (string)e["action"]! == "CREATE");
        Assert.Single(entries, e => (string)e["resourceType"]! == "Track" && (string)e["action"]! == "CREATE");
        Assert.Equal(2, entries.Count(e => (string)e["resourceType"]! == "TrackSession" && (string)e["action"]! == "CREATE"));
        var payers = Assert.Single(entries, e => (string?)e["field"] == "payerTypes");
        Assert.Equal("[\"Medicaid\",\"SelfPay\"]", (string)payers["newValue"]!);
        Assert.Single(entries, e => (string)e["resourceType"]! == "InsurancePlan" && ((string)e["newValue"]!).Contains("AETNA"));
        Assert.Single(entries, e => (string)e["resourceType"]! == "Phone" && ((string)e["newValue"]!).Contains("+14805550142"));
        Assert.Single(entries, e => (string?)e["field"] == "verificationSource" && (string?)e["newValue"] == "phone call to intake");
        // One mutation, one change id: the program, its track and sessions were saved together.
        var programChange = (string)entries.Single(e => (string)e["resourceType"]! == "Program")["changeId"]!;
        Assert.Equal(4, entries.Count(e => (string)e["changeId"]! == programChange));
        Assert.All(entries.Skip(1), e => Assert.Equal("eli (EDITOR)", (string)e["actor"]!));
    }

    [Fact]
    public async Task A_write_made_on_an_older_version_is_refused_with_CONFLICT_and_changes_nothing()
    {
        await using var api = new ApiFactory(await database.CreateCopyAsync());
        var admin = Token(api, "ada", Roles.Admin);
        var created = (await Ok(api, CreateCenter, new { input = NewCenter }, admin))["createCenter"]!["center"]!;
        var (id, read) = ((string)created["id"]!, (string)created["version"]!);

        const string rename = """
            mutation($id: ID!, $v: String!, $name: String!) { updateCenter(centerId: $id, expectedVersion: $v, input: { name: $name }) { center { version } userErrors { code } } }
            """;
        // Two people read version `read`; the first saves, the second is refused.
        var first = await Ok(api, rename, new { id, v = read, name = "First edit" }, admin);
        Assert.NotEqual(read, (string)first["updateCenter"]!["center"]!["version"]!);
        var auditBefore = (int)(await Ok(api, "query($id: ID!) { auditLog(centerId: $id) { totalCount } }", new { id }, admin))["auditLog"]!["totalCount"]!;

        var second = await api.GraphQLAsync(rename, new { id, v = read, name = "Second edit" }, token: admin);
        var error = Assert.Single(second["errors"]!.AsArray())!;
        Assert.Equal("CONFLICT", (string)error["extensions"]!["code"]!);
        Assert.Equal((string)first["updateCenter"]!["center"]!["version"]!, (string)error["extensions"]!["currentVersion"]!);
        Assert.Equal("First edit", (string)(await CenterAsync(api, id, admin))["name"]!);
        var auditAfter = (int)(await Ok(api, "query($id: ID!) { auditLog(centerId: $id) { totalCount } }", new { id }, admin))["auditLog"]!["totalCount"]!;
        Assert.Equal(auditBefore, auditAfter);
    }

    [Fact]
    public async Task Invalid_input_comes_back_as_user_errors_and_nothing_is_written()
    {
        await using var api = new ApiFactory(await database.CreateCopyAsync());
        var admin = Token(api, "ada", Roles.Admin);
        var created = (await Ok(api, CreateCenter, new { input = NewCenter }, admin))["createCenter"]!["center"]!;
        var (id, version) = ((string)created["id"]!, (string)created["version"]!);

        var payload = (await Ok(api, """
            mutation($id: ID!, $v: String!) {
              saveProgram(centerId: $id, expectedVersion: $v, input: { name: "Broken", minHoursPerWeek: 12, maxHoursPerWeek: 9, minDaysPerWeek: 3, maxDaysPerWeek: 3,
                tracks: [{ kind: WEEKEND, sessions: [{ weekday: TUESDAY, startsAt: "18:00", endsAt: "21:00" }] }] }) {
                center { id } userErrors { field code }
              }
            }
            """, new { id, v = version }, admin))["saveProgram"]!;
        Assert.Null(payload["center"]);
        var codes = payload["userErrors"]!.AsArray().Select(e => (string)e!["code"]!).ToList();
        Assert.Contains("INVALID_RANGE", codes);
        Assert.Contains("INVALID_SCHEDULE", codes);

        var bad = (await Ok(api, """
            mutation($id: ID!, $v: String!) { updateCenter(centerId: $id, expectedVersion: $v, input: { timeZone: "Mars/Olympus", website: "ftp://x" }) { userErrors { field code } } }
            """, new { id, v = version }, admin))["updateCenter"]!["userErrors"]!.AsArray();
        Assert.Equal(["INVALID_TIME_ZONE", "INVALID_URL"], bad.Select(e => (string)e!["code"]!).Order());

        // Over-long address lines are the model's rule too, not a database error.
        var longStreet = (await Ok(api, """
            mutation($id: ID!, $v: String!, $street: String!) { updateCenter(centerId: $id, expectedVersion: $v,
              input: { address: { street1: $street, city: "Mesa", state: "AZ", postalCode: "85201" } }) { userErrors { field code } } }
            """, new { id, v = version, street = new string('x', 300) }, admin))["updateCenter"]!["userErrors"]!.AsArray();
        Assert.Equal("address.street1", (string)Assert.Single(longStreet)!["field"]!);

        // A number too large for the model's decimal is a clear error, not a fault.
        var huge = await api.GraphQLAsync("""
            mutation($id: ID!, $v: String!) { saveProgram(centerId: $id, expectedVersion: $v, input: { name: "Huge", maxHoursPerWeek: 1e300 }) { userErrors { code } } }
            """, new { id, v = version }, expectedStatus: 400, token: admin);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", (string)huge["errors"]![0]!["extensions"]!["code"]!);

        var center = await CenterAsync(api, id, admin);
        Assert.Equal(version, (string)center["version"]!);
        Assert.Empty(center["programs"]!.AsArray());
        Assert.Equal(1, (int)(await Ok(api, "query($id: ID!) { auditLog(centerId: $id) { totalCount } }", new { id }, admin))["auditLog"]!["totalCount"]!);
    }

    [Fact]
    public async Task Editors_edit_only_the_centres_assigned_to_them()
    {
        await using var api = new ApiFactory(await database.CreateCopyAsync());
        var admin = Token(api, "ada", Roles.Admin);
        var mine = (await Ok(api, CreateCenter, new { input = NewCenter }, admin))["createCenter"]!["center"]!;
        var other = (await Ok(api, CreateCenter, new { input = NewCenter }, admin))["createCenter"]!["center"]!;
        await Ok(api, "mutation($id: ID!) { assignEditor(centerId: $id, subject: \"eli\") }", new { id = (string)mine["id"]! }, admin);

        const string accept = """
            mutation($id: ID!, $v: String!) { setAcceptingNewPatients(centerId: $id, expectedVersion: $v, accepting: false) { center { acceptingNewPatients } userErrors { code } } }
            """;
        var eli = Token(api, "eli", Roles.Editor);
        var allowed = await Ok(api, accept, new { id = (string)mine["id"]!, v = (string)mine["version"]! }, eli);
        Assert.False((bool)allowed["setAcceptingNewPatients"]!["center"]!["acceptingNewPatients"]!);

        var refused = await api.GraphQLAsync(accept, new { id = (string)other["id"]!, v = (string)other["version"]! }, token: eli);
        Assert.Equal("FORBIDDEN", (string)refused["errors"]![0]!["extensions"]!["code"]!);
        var someoneElse = await api.GraphQLAsync(accept, new { id = (string)mine["id"]!, v = (string)mine["version"]! }, token: Token(api, "zoe", Roles.Editor));
        Assert.Equal("FORBIDDEN", (string)someoneElse["errors"]![0]!["extensions"]!["code"]!);
        Assert.True((bool)(await CenterAsync(api, (string)other["id"]!, admin))["acceptingNewPatients"]!);

        // Withdrawn access is withdrawn.
        await Ok(api, "mutation($id: ID!) { unassignEditor(centerId: $id, subject: \"eli\") }", new { id = (string)mine["id"]! }, admin);
        var current = (string)(await CenterAsync(api, (string)mine["id"]!, admin))["version"]!;
        var afterUnassign = await api.GraphQLAsync(accept, new { id = (string)mine["id"]!, v = current }, token: eli);
        Assert.Equal("FORBIDDEN", (string)afterUnassign["errors"]![0]!["extensions"]!["code"]!);
    }

    [Fact]
    public async Task Retired_centres_leave_every_listing_and_stale_ones_can_be_found()
    {
        await using var api = new ApiFactory(await database.CreateCopyAsync());
        var admin = Token(api, "ada", Roles.Admin);
        var created = (await Ok(api, CreateCenter, new { input = NewCenter }, admin))["createCenter"]!["center"]!;
        var (id, version) = ((string)created["id"]!, (string)created["version"]!);

        const string near = """
            query($stale: Boolean) { searchCenters(near: { latitude: 33.4152, longitude: -111.8315 }, radius: { value: 1, unit: MILES }, filter: { stale: $stale }) {
              edges { node { id verification { stale } } } } }
            """;
        async Task<List<string>> Near(bool? stale) =>
            (await Ok(api, near, new { stale }, admin))["searchCenters"]!["edges"]!.AsArray().Select(e => (string)e!["node"]!["id"]!).ToList();

        Assert.Contains(id, await Near(stale: true));   // never verified: stale
        Assert.DoesNotContain(id, await Near(stale: false));
        var verified = (await Ok(api, """
            mutation($id: ID!, $v: String!) { verifyCenter(centerId: $id, expectedVersion: $v, source: "site visit") { center { version } } }
            """, new { id, v = version }, admin))["verifyCenter"]!["center"]!;
        Assert.Contains(id, await Near(stale: false));
        Assert.DoesNotContain(id, await Near(stale: true));

        await Ok(api, """
            mutation($id: ID!, $v: String!) { retireCenter(centerId: $id, expectedVersion: $v) { center { id } userErrors { code } } }
            """, new { id, v = (string)verified["version"]! }, admin);
        Assert.DoesNotContain(id, await Near(stale: null));
        var ids = (await Ok(api, "{ centers(first: 100, filter: { state: \"AZ\" }) { edges { node { id } } } }", null, admin))["centers"]!["edges"]!
            .AsArray().Select(e => (string)e!["node"]!["id"]!);
        Assert.DoesNotContain(id, ids);
        var byId = await Ok(api, "query($id: ID!) { center(id: $id) { id } node(id: $id) { id } }", new { id }, admin);
        Assert.Null(byId["center"]);
        Assert.Null(byId["node"]);
    }

    [Fact]
    public async Task A_number_added_to_a_listing_must_ring_one_of_the_centres_own_lines()
    {
        await using var api = new ApiFactory(await database.CreateCopyAsync());
        var admin = Token(api, "ada", Roles.Admin);
        var created = (await Ok(api, CreateCenter, new { input = NewCenter }, admin))["createCenter"]!["center"]!;
        var id = (string)created["id"]!;
        var version = (string)(await Ok(api, """
            mutation($id: ID!, $v: String!) { setPhones(centerId: $id, expectedVersion: $v, phones: [{ kind: INTAKE, number: "480-555-0142" }]) { center { version } } }
            """, new { id, v = (string)created["version"]! }, admin))["setPhones"]!["center"]!["version"]!;

        const string save = """
            mutation($id: ID!, $v: String!, $to: String!) {
              saveCallRoute(centerId: $id, expectedVersion: $v, input: { number: "480-555-0199", kind: TRACKING_NUMBER, destinationKind: FACILITY,
                destinationNumber: $to, answeredAllHours: true, answerTimeZone: "America/Phoenix", hours: [], isPaidPlacement: false, callbacksOffered: false }) {
                center { version displayedNumbers { id number routesTo { centerId } } } userErrors { field code }
              }
            }
            """;
        var away = (await Ok(api, save, new { id, v = version, to = "+14805550777" }, admin))["saveCallRoute"]!;
        Assert.Null(away["center"]);
        Assert.Equal("ROUTES_AWAY_FROM_LISTING", (string)away["userErrors"]![0]!["code"]!);

        var saved = (await Ok(api, save, new { id, v = version, to = "(480) 555-0142" }, admin))["saveCallRoute"]!;
        Assert.Empty(saved["userErrors"]!.AsArray());
        var shown = Assert.Single(saved["center"]!["displayedNumbers"]!.AsArray())!;
        Assert.Equal(("+14805550199", id), ((string)shown["number"]!, (string)shown["routesTo"]!["centerId"]!));

        var routed = (await Ok(api, """mutation { routeCall(number: "480-555-0199") { destinationNumber } }""", null, admin))["routeCall"]!;
        Assert.Equal("+14805550142", (string)routed["destinationNumber"]!);
        var log = (await Ok(api, "query($id: ID!) { auditLog(centerId: $id, first: 100) { nodes { resourceType action } } }", new { id }, admin))["auditLog"]!["nodes"]!;
        Assert.Single(log.AsArray(), e => (string)e!["resourceType"]! == "CallRoute" && (string)e["action"]! == "CREATE");

        // It has routed a call, so the routing log keeps it: it cannot be removed, only rerouted.
        var removed = (await Ok(api, """
            mutation($id: ID!, $v: String!, $r: ID!) { removeCallRoute(centerId: $id, expectedVersion: $v, routeId: $r) { center { displayedNumbers { id } } userErrors { code } } }
            """, new { id, v = (string)saved["center"]!["version"]!, r = (string)shown["id"]! }, admin))["removeCallRoute"]!;
        Assert.Equal("HAS_ROUTING_HISTORY", (string)removed["userErrors"]![0]!["code"]!);

        // A number never called can be removed.
        var center = await CenterAsync(api, id, admin);
        var second = (await Ok(api, save.Replace("480-555-0199", "480-555-0198"), new { id, v = (string)center["version"]!, to = "+14805550142" }, admin))["saveCallRoute"]!;
        var secondId = second["center"]!["displayedNumbers"]!.AsArray().Single(n => (string)n!["number"]! == "+14805550198")!["id"]!.ToString();
        var gone = (await Ok(api, """
            mutation($id: ID!, $v: String!, $r: ID!) { removeCallRoute(centerId: $id, expectedVersion: $v, routeId: $r) { center { displayedNumbers { number } } userErrors { code } } }
            """, new { id, v = (string)second["center"]!["version"]!, r = secondId }, admin))["removeCallRoute"]!;
        Assert.Equal(["+14805550199"], gone["center"]!["displayedNumbers"]!.AsArray().Select(n => (string)n!["number"]!));
    }
}
