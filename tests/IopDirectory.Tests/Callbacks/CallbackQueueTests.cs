using System.Text.Json.Nodes;
using IopDirectory.Callbacks;
using IopDirectory.GraphQL;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Tests.Callbacks;

/// <summary>The hotline's side: the queue in order, claim and close, conflicts between operators.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class CallbackQueueTests(TestDatabase database)
{
    private const string Fields = "id name status claimedBy claimedAt closedAt outcome createdAt";

    private const string Claim = "mutation($id: ID!) { claimCallback(id: $id) { callbackRequest { " + Fields + " } userErrors { field message code } } }";

    private const string Close = "mutation($id: ID!, $outcome: CallbackOutcome!) { closeCallback(id: $id, outcome: $outcome) { callbackRequest { "
        + Fields + " } userErrors { field message code } } }";

    private static async Task<string> RequestAsync(CallbackApi api, string name)
    {
        var body = await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input(i => i["name"] = name) });
        Assert.Null(body["errors"]);
        Assert.Empty(body["data"]!["requestCallback"]!["userErrors"]!.AsArray());
        return body["data"]!["requestCallback"]!["callbackRequest"]!["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> MutateAsync(CallbackApi api, string query, object variables, string token, string field)
    {
        var body = await api.GraphQLAsync(query, variables, token);
        Assert.Null(body["errors"]);
        return body["data"]![field]!;
    }

    private static string? ErrorCode(JsonNode payload) => payload["userErrors"]!.AsArray().SingleOrDefault()?["code"]!.GetValue<string>();

    private static async Task<JsonNode> QueueAsync(CallbackApi api, string arguments)
    {
        var body = await api.GraphQLAsync("{ callbackRequests" + arguments + " { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { "
            + Fields + " } } } }", token: CallbackApi.Hotline());
        Assert.Null(body["errors"]);
        return body["data"]!["callbackRequests"]!;
    }

    private static IEnumerable<string> Names(JsonNode connection) =>
        connection["edges"]!.AsArray().Select(e => e!["node"]!["name"]!.GetValue<string>());

    [Fact]
    public async Task The_queue_is_oldest_first_filters_by_status_and_pages()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        var ids = new List<string>();
        foreach (var name in new[] { "Caller One", "Caller Two", "Caller Three", "Caller Four" })
            ids.Add(await RequestAsync(api, name));
        // Make creation order differ from id order: the queue follows createdAt.
        await using (var db = TestDatabase.CreateContext(connection))
        {
            var second = await db.CallbackRequests.SingleAsync(r => r.Name == "Caller Two");
            second.CreatedAt = (await db.CallbackRequests.MinAsync(r => r.CreatedAt)).AddSeconds(-5);
            await db.SaveChangesAsync();
        }
        var claimed = await MutateAsync(api, Claim, new { id = ids[2] }, CallbackApi.Hotline(), "claimCallback");
        Assert.Null(ErrorCode(claimed));

        var all = await QueueAsync(api, "");
        Assert.Equal(["Caller Two", "Caller One", "Caller Three", "Caller Four"], Names(all));
        Assert.Equal(4, all["totalCount"]!.GetValue<int>());

        var open = await QueueAsync(api, "(status: OPEN)");
        Assert.Equal(["Caller Two", "Caller One", "Caller Four"], Names(open));
        Assert.Equal(3, open["totalCount"]!.GetValue<int>());
        Assert.Equal(["Caller Three"], Names(await QueueAsync(api, "(status: CLAIMED)")));
        Assert.Empty(Names(await QueueAsync(api, "(status: CLOSED)")));

        var page1 = await QueueAsync(api, "(status: OPEN, first: 2)");
        Assert.Equal(["Caller Two", "Caller One"], Names(page1));
        Assert.True(page1["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.False(page1["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
        var cursor = page1["pageInfo"]!["endCursor"]!.GetValue<string>();
        var page2 = await QueueAsync(api, $"(status: OPEN, first: 2, after: \"{cursor}\")");
        Assert.Equal(["Caller Four"], Names(page2));
        Assert.False(page2["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.True(page2["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bad_paging_arguments_are_bad_user_input()
    {
        await using var api = new CallbackApi(database.SharedConnectionString);
        foreach (var arguments in new[] { "(first: 101)", "(first: -1)", "(after: \"nope\")", $"(after: \"{PageRequest.EncodeCursor(3)}\")" })
        {
            var body = await api.GraphQLAsync("{ callbackRequests" + arguments + " { totalCount } }", token: CallbackApi.Hotline());
            Assert.Equal("BAD_USER_INPUT", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Claim_then_close_by_the_same_operator()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        var id = await RequestAsync(api, Caller.Name);
        var operatorA = CallbackApi.Hotline("operator-a");

        var claimed = await MutateAsync(api, Claim, new { id }, operatorA, "claimCallback");
        Assert.Null(ErrorCode(claimed));
        var request = claimed["callbackRequest"]!;
        Assert.Equal(id, request["id"]!.GetValue<string>());
        Assert.Equal("CLAIMED", request["status"]!.GetValue<string>());
        Assert.Equal("operator-a", request["claimedBy"]!.GetValue<string>());
        Assert.InRange(request["claimedAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(request["closedAt"]);

        // Claiming again is harmless.
        Assert.Null(ErrorCode(await MutateAsync(api, Claim, new { id }, operatorA, "claimCallback")));

        var closed = await MutateAsync(api, Close, new { id, outcome = "REFERRED_TO_PROGRAM" }, operatorA, "closeCallback");
        Assert.Null(ErrorCode(closed));
        Assert.Equal("CLOSED", closed["callbackRequest"]!["status"]!.GetValue<string>());
        Assert.Equal("REFERRED_TO_PROGRAM", closed["callbackRequest"]!["outcome"]!.GetValue<string>());
        Assert.Equal("operator-a", closed["callbackRequest"]!["claimedBy"]!.GetValue<string>());
        Assert.NotNull(closed["callbackRequest"]!["closedAt"]);

        Assert.Equal("ALREADY_CLOSED", ErrorCode(await MutateAsync(api, Close, new { id, outcome = "REACHED" }, operatorA, "closeCallback")));
        Assert.Equal("ALREADY_CLOSED", ErrorCode(await MutateAsync(api, Claim, new { id }, CallbackApi.Hotline("operator-b"), "claimCallback")));

        await using var db = TestDatabase.CreateContext(connection);
        var stored = await db.CallbackRequests.SingleAsync();
        Assert.Equal(CallbackStatus.Closed, stored.Status);
        Assert.Equal(CallbackOutcome.ReferredToProgram, stored.Outcome);
        Assert.Equal("operator-a", stored.ClaimedBy);
        Assert.Empty(Names(await QueueAsync(api, "(status: OPEN)")));
    }

    [Fact]
    public async Task Closing_an_unclaimed_request_is_refused()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        var id = await RequestAsync(api, Caller.Name);

        var payload = await MutateAsync(api, Close, new { id, outcome = "NO_ANSWER" }, CallbackApi.Hotline(), "closeCallback");

        Assert.Equal("NOT_CLAIMED", ErrorCode(payload));
        Assert.Null(payload["callbackRequest"]);
        await using var db = TestDatabase.CreateContext(connection);
        Assert.Equal(CallbackStatus.Open, (await db.CallbackRequests.SingleAsync()).Status);
    }

    [Fact]
    public async Task A_second_operator_can_neither_claim_nor_close_anothers_request()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        var id = await RequestAsync(api, Caller.Name);
        var operatorA = CallbackApi.Hotline("operator-a");
        var operatorB = IopDirectory.Auth.AuthSetup.MintToken(new IopDirectory.Auth.AuthOptions { SigningKey = ApiFactory.SigningKey },
            "operator-b", ["HOTLINE"], TimeSpan.FromHours(1));
        Assert.Null(ErrorCode(await MutateAsync(api, Claim, new { id }, operatorA, "claimCallback")));

        var conflict = await MutateAsync(api, Claim, new { id }, operatorB, "claimCallback");
        Assert.Equal("CONFLICT", ErrorCode(conflict));
        Assert.Equal("id", conflict["userErrors"]![0]!["field"]!.GetValue<string>());
        Assert.Null(conflict["callbackRequest"]);

        Assert.Equal("CLAIMED_BY_ANOTHER_OPERATOR", ErrorCode(await MutateAsync(api, Close, new { id, outcome = "REACHED" }, operatorB, "closeCallback")));

        await using var db = TestDatabase.CreateContext(connection);
        var stored = await db.CallbackRequests.SingleAsync();
        Assert.Equal("operator-a", stored.ClaimedBy);
        Assert.Equal(CallbackStatus.Claimed, stored.Status);
    }

    [Fact]
    public async Task Concurrent_claims_have_exactly_one_winner()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        var operators = Enumerable.Range(1, 8).Select(i => $"operator-{i}").ToList();
        var tokens = operators.ToDictionary(o => o, o => CallbackApi.Hotline(o));

        for (var round = 0; round < 5; round++)
        {
            var id = await RequestAsync(api, $"Caller {round}");
            using var start = new ManualResetEventSlim();
            var claims = operators.Select(o => Task.Run(async () =>
            {
                start.Wait();
                return (Operator: o, Payload: await MutateAsync(api, Claim, new { id }, tokens[o], "claimCallback"));
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(claims);

            var winners = results.Where(r => ErrorCode(r.Payload) is null).ToList();
            var winner = Assert.Single(winners);
            Assert.All(results.Except(winners), r => Assert.Equal("CONFLICT", ErrorCode(r.Payload)));
            Assert.Equal(winner.Operator, winner.Payload["callbackRequest"]!["claimedBy"]!.GetValue<string>());

            await using var db = TestDatabase.CreateContext(connection);
            var key = GlobalId.Decode(id)!.Value.Id;
            Assert.Equal(winner.Operator, (await db.CallbackRequests.SingleAsync(r => r.Id == key)).ClaimedBy);
        }
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_user_errors()
    {
        await using var api = new CallbackApi(database.SharedConnectionString);
        var hotline = CallbackApi.Hotline();

        Assert.Equal("NOT_FOUND", ErrorCode(await MutateAsync(api, Claim, new { id = GlobalId.Encode(CallbackDesk.TypeName, 999999) }, hotline, "claimCallback")));
        Assert.Equal("INVALID_ID", ErrorCode(await MutateAsync(api, Claim, new { id = "garbage" }, hotline, "claimCallback")));
        Assert.Equal("INVALID_ID", ErrorCode(await MutateAsync(api, Claim, new { id = GlobalId.Encode("Center", 1) }, hotline, "claimCallback")));
        Assert.Equal("NOT_FOUND", ErrorCode(await MutateAsync(api, Close, new { id = GlobalId.Encode(CallbackDesk.TypeName, 999999), outcome = "REACHED" },
            hotline, "closeCallback")));
    }

    [Fact]
    public async Task Centres_of_a_queue_page_load_in_one_statement()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        List<int> centerIds;
        await using (var db = TestDatabase.CreateContext(connection))
            centerIds = await db.Centers.OrderBy(c => c.Id).Select(c => c.Id).Take(5).ToListAsync();
        foreach (var centerId in centerIds)
        {
            var body = await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input(i => i["centerId"] = GlobalId.Encode("Center", centerId)) });
            Assert.Empty(body["data"]!["requestCallback"]!["userErrors"]!.AsArray());
        }

        var counter = (IopDirectory.Data.SqlStatementCounter)api.Services.GetService(typeof(IopDirectory.Data.SqlStatementCounter))!;
        var before = counter.Count;
        var queue = await api.GraphQLAsync("{ callbackRequests(first: 10) { nodes { center { id name } } } }", token: CallbackApi.Hotline());
        Assert.Null(queue["errors"]);
        Assert.Equal(centerIds.Select(id => GlobalId.Encode("Center", id)),
            queue["data"]!["callbackRequests"]!["nodes"]!.AsArray().Select(n => n!["center"]!["id"]!.GetValue<string>()));
        Assert.Equal(2, counter.Count - before); // the page, then its centres
    }
}
