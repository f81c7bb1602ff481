using System.Text.Json.Nodes;
using IopDirectory.Callbacks;
using IopDirectory.GraphQL;
using IopDirectory.Insurance;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Tests.Callbacks;

/// <summary>requestCallback: validation, normalisation, userErrors, and nothing written on any error.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class CallbackRequestTests(TestDatabase database)
{
    private static async Task<int> CountAsync(string connectionString)
    {
        await using var db = TestDatabase.CreateContext(connectionString);
        return await db.CallbackRequests.CountAsync();
    }

    private static JsonNode Payload(JsonNode body)
    {
        Assert.Null(body["errors"]);
        return body["data"]!["requestCallback"]!;
    }

    [Fact]
    public async Task Anonymous_request_is_queued_and_the_receipt_holds_no_personal_details()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);

        var payload = Payload(await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() }));

        Assert.Empty(payload["userErrors"]!.AsArray());
        var receipt = payload["callbackRequest"]!.AsObject();
        Assert.Equal(["id", "status", "createdAt"], receipt.Select(p => p.Key));
        Assert.Equal("OPEN", receipt["status"]!.GetValue<string>());
        Assert.Equal(CallbackDesk.TypeName, GlobalId.Decode(receipt["id"]!.GetValue<string>())!.Value.Type);

        await using var db = TestDatabase.CreateContext(connection);
        var stored = await db.CallbackRequests.SingleAsync();
        Assert.Equal(Caller.Name, stored.Name);
        Assert.Equal(Caller.E164, stored.Phone);
        Assert.Equal("85004", stored.PostalCode);
        Assert.True(stored.Consent);
        Assert.Equal(CallbackStatus.Open, stored.Status);
        Assert.Null(stored.ClaimedBy);
        Assert.InRange(stored.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Theory]
    [InlineData("(480) 555-0199")]
    [InlineData("480-555-0199")]
    [InlineData("480.555.0199")]
    [InlineData("4805550199")]
    [InlineData("480 555 0199")]
    [InlineData("+1 480 555 0199")]
    [InlineData("1 (480) 555-0199")]
    [InlineData("+14805550199")]
    [InlineData("  (480) 555-0199  ")]
    public async Task Common_US_formats_are_normalised_to_E164(string phone)
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);

        var payload = Payload(await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input(i => i["phone"] = phone) }));

        Assert.Empty(payload["userErrors"]!.AsArray());
        await using var db = TestDatabase.CreateContext(connection);
        Assert.Equal(Caller.E164, (await db.CallbackRequests.SingleAsync()).Phone);
    }

    [Fact]
    public async Task A_window_given_with_a_local_offset_is_kept_as_the_same_instants()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        var phoenix = TimeSpan.FromHours(-7);
        var from = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(2).AddHours(17), phoenix);

        var payload = Payload(await api.GraphQLAsync(Caller.RequestMutation, new
        {
            input = Caller.Input(i =>
            {
                i["preferredFrom"] = from.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
                i["preferredUntil"] = from.AddHours(3).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
            }),
        }));

        Assert.Empty(payload["userErrors"]!.AsArray());
        await using var db = TestDatabase.CreateContext(connection);
        var stored = await db.CallbackRequests.SingleAsync();
        Assert.Equal(from, stored.PreferredFrom);
        Assert.Equal(from.AddHours(3), stored.PreferredUntil);
    }

    [Fact]
    public async Task Without_consent_nothing_is_written()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);

        var payload = Payload(await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input(i => i["consent"] = false) }));

        Assert.Null(payload["callbackRequest"]);
        var error = Assert.Single(payload["userErrors"]!.AsArray())!;
        Assert.Equal("CONSENT_REQUIRED", error["code"]!.GetValue<string>());
        Assert.Equal("consent", error["field"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(connection));
    }

    public static TheoryData<string, string, string> BadInputs()
    {
        var tomorrow = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(1), TimeSpan.Zero);
        return new()
        {
            { """{"phone":"(480) 555-019"}""", "phone", "INVALID_PHONE" },
            { """{"phone":"555-0199"}""", "phone", "INVALID_PHONE" },
            { """{"phone":"call me maybe"}""", "phone", "INVALID_PHONE" },
            { """{"phone":"+44 20 7946 0958"}""", "phone", "INVALID_PHONE" },
            { """{"phone":""}""", "phone", "INVALID_PHONE" },
            { """{"name":"   "}""", "name", "INVALID_NAME" },
            { "{\"name\":\"" + new string('x', 101) + "\"}", "name", "INVALID_NAME" },
            { """{"name":"Jordan\u0000Testperson"}""", "name", "INVALID_NAME" },
            { """{"zip":"8500"}""", "zip", "INVALID_POSTAL_CODE" },
            { """{"zip":"85OO4"}""", "zip", "INVALID_POSTAL_CODE" },
            { $$"""{"preferredUntil":"{{tomorrow.AddHours(8):O}}"}""", "preferredUntil", "INVALID_WINDOW" },
            { $$"""{"preferredUntil":"{{tomorrow.AddHours(9):O}}"}""", "preferredUntil", "INVALID_WINDOW" },
            { $$"""{"preferredUntil":"{{tomorrow.AddDays(15):O}}"}""", "preferredUntil", "WINDOW_TOO_LONG" },
            { $$"""{"preferredFrom":"{{tomorrow.AddDays(-3):O}}","preferredUntil":"{{tomorrow.AddDays(-2):O}}"}""", "preferredFrom", "WINDOW_IN_PAST" },
            { $$"""{"preferredFrom":"{{tomorrow.AddDays(40):O}}","preferredUntil":"{{tomorrow.AddDays(41):O}}"}""", "preferredFrom", "WINDOW_TOO_FAR" },
            { """{"carrier":"NOT_A_CARRIER"}""", "carrier", "UNKNOWN_CARRIER" },
            { """{"centerId":"bm90LWFuLWlk"}""", "centerId", "INVALID_ID" },
            { $$"""{"centerId":"{{GlobalId.Encode("IopProgram", 1)}}"}""", "centerId", "INVALID_ID" },
            { $$"""{"centerId":"{{GlobalId.Encode("Center", 987654)}}"}""", "centerId", "NOT_FOUND" },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Each_broken_rule_is_a_user_error_and_nothing_is_written(string changes, string field, string code)
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        var input = Caller.Input(i =>
        {
            foreach (var (key, value) in JsonNode.Parse(changes)!.AsObject()) i[key] = value?.GetValue<string>();
        });

        var (body, text) = await api.PostAsync(Caller.RequestMutation, new { input });
        var payload = Payload(body);

        Assert.Null(payload["callbackRequest"]);
        var error = Assert.Single(payload["userErrors"]!.AsArray())!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal(field, error["field"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(connection));
        // Whatever was sent, the answer does not repeat it.
        foreach (var (_, value) in JsonNode.Parse(changes)!.AsObject())
            if (value!.GetValue<string>().Trim() is { Length: > 3 } sent && !sent.StartsWith("20", StringComparison.Ordinal))
                Assert.DoesNotContain(sent, error["message"]!.GetValue<string>());
        Caller.AssertNoSecrets(text, "the response");
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        var input = Caller.Input(i =>
        {
            i["name"] = "";
            i["phone"] = "12";
            i["zip"] = "x";
            i["consent"] = false;
            i["carrier"] = "NOPE";
        });

        var payload = Payload(await api.GraphQLAsync(Caller.RequestMutation, new { input }));

        Assert.Equal(["INVALID_NAME", "INVALID_PHONE", "INVALID_POSTAL_CODE", "UNKNOWN_CARRIER", "CONSENT_REQUIRED"],
            payload["userErrors"]!.AsArray().Select(e => e!["code"]!.GetValue<string>()));
        Assert.Equal(0, await CountAsync(connection));
    }

    [Fact]
    public async Task Optional_insurance_and_listing_are_kept_and_shown_to_the_hotline()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        int centerId;
        string centerName;
        await using (var db = TestDatabase.CreateContext(connection))
        {
            var center = await db.Centers.OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).FirstAsync();
            (centerId, centerName) = (center.Id, center.Name);
        }

        var payload = Payload(await api.GraphQLAsync(Caller.RequestMutation, new
        {
            input = Caller.Input(i =>
            {
                i["payerType"] = "MEDICAID";
                i["carrier"] = "aetna";
                i["centerId"] = GlobalId.Encode("Center", centerId);
                i["zip"] = "85004-1234";
                i["name"] = "  " + Caller.Name + " ";
            }),
        }));
        Assert.Empty(payload["userErrors"]!.AsArray());

        var queue = await api.GraphQLAsync("""
            { callbackRequests(first: 5) { nodes { name phone phoneDisplay zip payerType carrier { value label } center { id name } status } } }
            """, token: CallbackApi.Hotline());
        Assert.Null(queue["errors"]);
        var node = Assert.Single(queue["data"]!["callbackRequests"]!["nodes"]!.AsArray())!;
        Assert.Equal(Caller.Name, node["name"]!.GetValue<string>());
        Assert.Equal(Caller.E164, node["phone"]!.GetValue<string>());
        Assert.Equal("(480) 555-0199", node["phoneDisplay"]!.GetValue<string>());
        Assert.Equal("85004", node["zip"]!.GetValue<string>());
        Assert.Equal("MEDICAID", node["payerType"]!.GetValue<string>());
        Assert.Equal("AETNA", node["carrier"]!["value"]!.GetValue<string>());
        Assert.Equal(Carriers.All["AETNA"], node["carrier"]!["label"]!.GetValue<string>());
        Assert.Equal(centerName, node["center"]!["name"]!.GetValue<string>());
        Assert.Equal(GlobalId.Encode("Center", centerId), node["center"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_receipt_type_has_no_name_or_phone_to_select()
    {
        await using var api = new CallbackApi(database.SharedConnectionString);

        foreach (var field in new[] { "name", "phone", "zip" })
        {
            var (body, text) = await api.PostAsync(
                "mutation($input: RequestCallbackInput!) { requestCallback(input: $input) { callbackRequest { " + field + " } } }",
                new { input = Caller.Input() }, expectedStatus: 400);
            Assert.Equal("GRAPHQL_VALIDATION_FAILED", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
            Caller.AssertNoSecrets(text, "the response");
        }
        Assert.Equal(0, await CountAsync(database.SharedConnectionString));
    }
}
