using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Callbacks;

/// <summary>The operator's example runs (the snapshot itself is checked by Schema.ExampleTests).</summary>
[Collection(DatabaseCollection.Name)]
public sealed class CallbackExampleTests(TestDatabase database)
{
    private static string Example => File.ReadAllText(Path.Combine(Repository.Root, "schema", "examples", "hotline-callback-queue.graphql"));

    [Fact]
    public async Task The_queue_example_runs_for_the_hotline_and_for_nobody_else()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new CallbackApi(connection);
        Assert.StartsWith("# Who: hotline operators. Why: ", Example);
        Assert.Matches(@"(?m)^# Role: HOTLINE$", Example);

        var empty = await api.GraphQLAsync(Example, token: CallbackApi.Hotline());
        Assert.Null(empty["errors"]);
        Assert.Equal(0, empty["data"]!["callbackRequests"]!["totalCount"]!.GetValue<int>());

        await api.GraphQLAsync(Caller.RequestMutation, new { input = Caller.Input() });
        var one = await api.GraphQLAsync(Example, token: CallbackApi.Hotline());
        Assert.Null(one["errors"]);
        Assert.Equal("(480) 555-0199", one["data"]!["callbackRequests"]!["nodes"]![0]!["phoneDisplay"]!.GetValue<string>());

        var anonymous = await api.GraphQLAsync(Example);
        Assert.Equal("UNAUTHENTICATED", anonymous["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }
}
