using IopDirectory.Auth;
using IopDirectory.GraphQL;
using IopDirectory.Tests.Infrastructure;
using Npgsql;

namespace IopDirectory.Tests.Callbacks;

/// <summary>
/// A caller's name and number never appear in logs, in error messages, or in anything a client without
/// the HOTLINE role can read.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class CallbackPrivacyTests(TestDatabase database)
{
    private const string EveryField = "id name phone phoneDisplay zip preferredFrom preferredUntil payerType carrier { value } center { id } "
        + "status claimedBy claimedAt closedAt outcome createdAt";

    private static string Code(System.Text.Json.Nodes.JsonNode body) => body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    [Fact]
    public async Task Logs_never_hold_a_name_or_number()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection, maxPerIp: 3);
        var hotline = CallbackApi.Hotline("operator-a");

        // Everything the feature does, including each way it can fail.
        var id = (await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() }))["data"]!["requestCallback"]!["callbackRequest"]!["id"]!.GetValue<string>();
        await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input(i => i["consent"] = false) });
        await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input(i => i["phone"] = "(480) 555-019") });
        var limited = await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() });
        Assert.Equal(ErrorCodes.RateLimited, Code(limited));
        await api.PostAsync("mutation { requestCallback(input: { name: \"" + Caller.Name + "\", phone: 4805550199 }) { userErrors { code } } }",
            expectedStatus: 400);
        await api.GraphQLAsync("{ callbackRequests { nodes { " + EveryField + " } } }", token: hotline);
        await api.GraphQLAsync("{ callbackRequests { nodes { name phone } } }");
        await api.GraphQLAsync("{ callbackRequests { nodes { name phone } } }", token: CallbackApi.Token("partner-1", Roles.Partner));
        await api.GraphQLAsync("mutation($id: ID!) { claimCallback(id: $id) { userErrors { code } } }", new { id }, hotline);
        await api.GraphQLAsync("mutation($id: ID!) { claimCallback(id: $id) { userErrors { code } } }", new { id }, CallbackApi.Hotline("operator-b"));
        await api.GraphQLAsync("mutation($id: ID!) { closeCallback(id: $id, outcome: REACHED) { callbackRequest { name phone } } }", new { id }, hotline);

        // The unhandled-exception path logs the exception: make the database fail under a request
        // whose variables hold the caller's details.
        await using (var admin = new NpgsqlConnection(connection))
        {
            await admin.OpenAsync();
            await using var rename = new NpgsqlCommand("ALTER TABLE callback_requests RENAME TO callback_requests_gone", admin);
            await rename.ExecuteNonQueryAsync();
        }
        var broken = await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() }, hotline);
        Assert.Equal(ErrorCodes.Internal, Code(broken));
        var brokenQueue = await api.GraphQLAsync("{ callbackRequests { nodes { name phone } } }", token: hotline);
        Assert.Equal(ErrorCodes.Internal, Code(brokenQueue));

        var entries = api.Logs.Entries.ToList();
        // The capture works at every level: EF's own command logging and our error are both in it.
        Assert.Contains(entries, e => e.Contains("Executed DbCommand", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("Unhandled error in requestCallback", StringComparison.Ordinal) && e.Contains("42P01", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("Call-back request refused: rate limit reached", StringComparison.Ordinal));
        foreach (var entry in entries)
            Caller.AssertNoSecrets(entry, "a log entry");
    }

    [Theory]
    [InlineData("(480) 555-019")]
    [InlineData("(480) 555-01999")]
    [InlineData("4805550199x")]
    [InlineData("(480) 555-0199 ext. 12")]
    [InlineData("(480) 555-0199#12")]
    [InlineData("Jordan Testperson")]
    [InlineData("+1 (480) 555-0199 ask for Jordan Testperson please call after five in the evening")]
    public async Task An_invalid_number_is_not_repeated_in_the_error(string phone)
    {
        await using var api = new CallbackApi(database.SharedConnectionString);

        var (body, text) = await api.PostAsync(Caller.RequestMutation, new { input = Caller.Input(i => i["phone"] = phone) });

        var error = Assert.Single(body["data"]!["requestCallback"]!["userErrors"]!.AsArray())!;
        Assert.Equal("INVALID_PHONE", error["code"]!.GetValue<string>());
        Assert.DoesNotContain(phone, error["message"]!.GetValue<string>());
        Caller.AssertNoSecrets(text, "the response");
        await using var db = TestDatabase.CreateContext(database.SharedConnectionString);
        Assert.Equal(0, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.CallbackRequests));
    }

    [Fact]
    public async Task A_name_too_long_is_not_repeated_in_the_error()
    {
        await using var api = new CallbackApi(database.SharedConnectionString);
        var name = string.Concat(Enumerable.Repeat(Caller.Name + " ", 10));

        var (body, text) = await api.PostAsync(Caller.RequestMutation, new { input = Caller.Input(i => i["name"] = name) });

        Assert.Equal("INVALID_NAME", body["data"]!["requestCallback"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Caller.AssertNoSecrets(text, "the response");
    }

    public static TheoryData<string?, string> NotHotline() => new()
    {
        { null, ErrorCodes.Unauthenticated },
        { Roles.Partner, ErrorCodes.Forbidden },
        { Roles.Editor, ErrorCodes.Forbidden },
        { Roles.Admin, ErrorCodes.Forbidden },
    };

    [Theory]
    [MemberData(nameof(NotHotline))]
    public async Task Other_roles_read_nothing(string? role, string code)
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        var token = role is null ? null : CallbackApi.Token("someone", role);
        var id = (await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() }))["data"]!["requestCallback"]!["callbackRequest"]!["id"]!.GetValue<string>();
        // Positive control: the hotline does see the details.
        var (_, hotlineText) = await api.PostAsync("{ callbackRequests { nodes { name phone } } }", token: CallbackApi.Hotline());
        Assert.Contains(Caller.E164, hotlineText);
        Assert.Contains(Caller.Name, hotlineText);

        var attempts = new (string Query, object? Variables)[]
        {
            ("{ callbackRequests { totalCount nodes { " + EveryField + " } } }", null),
            ("{ callbackRequests(status: OPEN) { edges { node { name phone phoneDisplay zip } } } }", null),
            ("mutation($id: ID!) { claimCallback(id: $id) { callbackRequest { name phone } userErrors { code } } }", new { id }),
            ("mutation($id: ID!) { closeCallback(id: $id, outcome: REACHED) { callbackRequest { name phone } userErrors { code } } }", new { id }),
        };
        foreach (var (query, variables) in attempts)
        {
            var (body, text) = await api.PostAsync(query, variables, token);
            Assert.Null(body["data"]);
            Assert.Equal(code, Code(body));
            Caller.AssertNoSecrets(text, $"the response to {role ?? "anonymous"}");
        }

        // The request's id refetches nothing through the Relay entry points.
        var (nodeBody, nodeText) = await api.PostAsync("query($id: ID!) { node(id: $id) { __typename id } nodes(ids: [$id]) { id } }", new { id }, token);
        Assert.Null(nodeBody["errors"]);
        Assert.Null(nodeBody["data"]!["node"]);
        Assert.Null(nodeBody["data"]!["nodes"]![0]);
        Caller.AssertNoSecrets(nodeText, "node(id:)");

        // Nothing was claimed or closed by those attempts.
        var (_, after) = await api.PostAsync("{ callbackRequests(status: OPEN) { totalCount } }", token: CallbackApi.Hotline());
        Assert.Contains("\"totalCount\":1", after);
    }

    [Fact]
    public async Task The_personal_fields_themselves_demand_the_hotline_role()
    {
        await using var api = new CallbackApi(database.SharedConnectionString);
        var schema = (global::GraphQL.Types.ISchema)api.Services.GetService(typeof(global::GraphQL.Types.ISchema))!;
        schema.Initialize();
        var type = (global::GraphQL.Types.IComplexGraphType)schema.AllTypes["CallbackRequest"]!;
        foreach (var field in new[] { "name", "phone", "phoneDisplay", "zip" })
            Assert.Equal([Roles.Hotline], type.GetField(field)!.RequiredRoles() ?? []);
        foreach (var field in new[] { "callbackRequests" })
            Assert.Equal([Roles.Hotline], schema.Query.GetField(field)!.RequiredRoles() ?? []);
        foreach (var field in new[] { "claimCallback", "closeCallback" })
            Assert.Equal([Roles.Hotline], schema.Mutation!.GetField(field)!.RequiredRoles() ?? []);
        Assert.Null(schema.Mutation!.GetField("requestCallback")!.RequiredRoles());

        var receipt = (global::GraphQL.Types.IComplexGraphType)schema.AllTypes["CallbackReceipt"]!;
        Assert.Equal(["id", "status", "createdAt"], receipt.Fields.Select(f => f.Name));
    }
}
