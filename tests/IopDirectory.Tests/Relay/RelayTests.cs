using System.Text.Json.Nodes;
using IopDirectory.Data;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IopDirectory.Tests.Relay;

[Collection(DatabaseCollection.Name)]
public sealed class RelayTests(TestDatabase database) : IAsyncLifetime
{
    private ApiFactory _api = null!;

    public Task InitializeAsync()
    {
        _api = new ApiFactory(database.SharedConnectionString);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private async Task<List<string>> AllCenterIdsAsync()
    {
        var ids = new List<string>();
        string? after = null;
        while (true)
        {
            var page = (await _api.GraphQLAsync("query($after: String) { centers(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }",
                new { after }))["data"]!["centers"]!;
            ids.AddRange(page["edges"]!.AsArray().Select(e => (string)e!["node"]!["id"]!));
            if (!(bool)page["pageInfo"]!["hasNextPage"]!) return ids;
            after = (string)page["pageInfo"]!["endCursor"]!;
        }
    }

    [Fact]
    public async Task Global_ids_round_trip_through_node_and_nodes()
    {
        var first = (await _api.GraphQLAsync("{ centers(first: 2) { nodes { id name programs { id name } } } }"))["data"]!["centers"]!["nodes"]!;
        var centerId = (string)first[0]!["id"]!;
        var programId = (string)first[0]!["programs"]![0]!["id"]!;

        var node = (await _api.GraphQLAsync("query($id: ID!) { node(id: $id) { id __typename ... on Center { name } } }", new { id = centerId }))["data"]!["node"]!;
        Assert.Equal(centerId, (string)node["id"]!);
        Assert.Equal("Center", (string)node["__typename"]!);
        Assert.Equal((string)first[0]!["name"]!, (string)node["name"]!);

        var nodes = (await _api.GraphQLAsync("query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }",
            new { ids = new[] { programId, centerId } }))["data"]!["nodes"]!.AsArray();
        Assert.Equal([programId, centerId], nodes.Select(n => (string)n!["id"]!));
        Assert.Equal("IopProgram", (string)nodes[0]!["__typename"]!);
    }

    [Fact]
    public async Task Ids_are_opaque_and_do_not_expose_the_row_key()
    {
        var id = (string)(await _api.GraphQLAsync("{ centers(first: 1) { nodes { id } } }"))["data"]!["centers"]!["nodes"]![0]!["id"]!;
        Assert.DoesNotContain(":", id);
        Assert.False(int.TryParse(id, out _));
    }

    [Fact]
    public async Task Unknown_ids_resolve_to_null_and_malformed_ids_to_bad_user_input()
    {
        var missing = IopDirectory.GraphQL.GlobalId.Encode("Center", 999_999);
        var body = await _api.GraphQLAsync("query($id: ID!) { node(id: $id) { id } center(id: $id) { id } }", new { id = missing });
        Assert.Null(body["data"]!["node"]);
        Assert.Null(body["data"]!["center"]);
        Assert.Null(body["errors"]);

        var bad = await _api.GraphQLAsync("""{ node(id: "%%%") { id } }""");
        Assert.Equal("BAD_USER_INPUT", (string?)bad["errors"]![0]!["extensions"]!["code"]);

        var wrongType = IopDirectory.GraphQL.GlobalId.Encode("IopProgram", 1);
        var typed = await _api.GraphQLAsync("query($id: ID!) { center(id: $id) { id } }", new { id = wrongType });
        Assert.Equal("BAD_USER_INPUT", (string?)typed["errors"]![0]!["extensions"]!["code"]);
    }

    [Fact]
    public async Task Forward_pages_cover_every_centre_once_in_order()
    {
        var ids = await AllCenterIdsAsync();
        await using var db = TestDatabase.CreateContext(database.SharedConnectionString);
        Assert.Equal(await db.Centers.CountAsync(), ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task First_after_the_last_item_is_an_empty_last_page()
    {
        var all = (await _api.GraphQLAsync("{ centers(first: 100) { totalCount edges { cursor } } }"))["data"]!["centers"]!;
        var total = (int)all["totalCount"]!;
        Assert.True(total is > 5 and <= 100, "the seed should fit in one page of 100");
        var lastCursor = (string)all["edges"]!.AsArray().Last()!["cursor"]!;

        var page = (await _api.GraphQLAsync("query($after: String) { centers(first: 10, after: $after) { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
            new { after = lastCursor }))["data"]!["centers"]!;
        Assert.Empty(page["edges"]!.AsArray());
        Assert.False((bool)page["pageInfo"]!["hasNextPage"]!);
        Assert.True((bool)page["pageInfo"]!["hasPreviousPage"]!);
        Assert.Null(page["pageInfo"]!["startCursor"]);
    }

    [Fact]
    public async Task Last_before_walks_backwards_and_matches_forward_order()
    {
        var forward = (await _api.GraphQLAsync("{ centers(first: 12) { edges { cursor node { id } } } }"))["data"]!["centers"]!["edges"]!.AsArray();
        var beforeCursor = (string)forward[10]!["cursor"]!;

        var page = (await _api.GraphQLAsync("query($before: String) { centers(last: 4, before: $before) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } }",
            new { before = beforeCursor }))["data"]!["centers"]!;
        Assert.Equal(forward.Skip(6).Take(4).Select(e => (string)e!["node"]!["id"]!), page["edges"]!.AsArray().Select(e => (string)e!["node"]!["id"]!));
        Assert.True((bool)page["pageInfo"]!["hasNextPage"]!);
        Assert.True((bool)page["pageInfo"]!["hasPreviousPage"]!);

        var start = (await _api.GraphQLAsync("query($before: String) { centers(last: 10, before: $before) { edges { node { id } } pageInfo { hasPreviousPage } } }",
            new { before = (string)forward[3]!["cursor"]! }))["data"]!["centers"]!;
        Assert.Equal(3, start["edges"]!.AsArray().Count);
        Assert.False((bool)start["pageInfo"]!["hasPreviousPage"]!);
    }

    [Fact]
    public async Task Last_without_before_returns_the_final_items()
    {
        var ids = await AllCenterIdsAsync();
        var page = (await _api.GraphQLAsync("{ centers(last: 3) { nodes { id } pageInfo { hasNextPage hasPreviousPage } } }"))["data"]!["centers"]!;
        Assert.Equal(ids.TakeLast(3), page["nodes"]!.AsArray().Select(n => (string)n!["id"]!));
        Assert.False((bool)page["pageInfo"]!["hasNextPage"]!);
        Assert.True((bool)page["pageInfo"]!["hasPreviousPage"]!);
    }

    [Theory]
    [InlineData("{ centers(first: 101) { totalCount } }", "first")]
    [InlineData("{ centers(last: 500) { totalCount } }", "last")]
    [InlineData("{ centers(first: -1) { totalCount } }", "first")]
    [InlineData("{ centers(first: 1, last: 1) { totalCount } }", "first")]
    [InlineData("{ centers(after: \"garbage\") { totalCount } }", "after")]
    [InlineData("{ centers(filter: { state: \"ZZ\" }) { totalCount } }", "filter.state")]
    [InlineData("{ centers(filter: { services: [\"NOT_A_SERVICE\"] }) { totalCount } }", "filter.services")]
    public async Task Bad_paging_and_filter_arguments_are_bad_user_input(string query, string argument)
    {
        var body = await _api.GraphQLAsync(query);
        var error = body["errors"]![0]!;
        Assert.Equal("BAD_USER_INPUT", (string?)error["extensions"]!["code"]);
        Assert.Equal(argument, (string?)error["extensions"]!["argument"]);
    }
}
