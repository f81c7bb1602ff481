using System.Net;
using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Partners;

/// <summary>Query cost, per key (and per address without one), as a token bucket; reported in extensions.cost.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class CostLimitTests(TestDatabase database)
{
    /// <summary>Costs 12: the connection, its nodes list, and ten names (a field costs 1; a list multiplies by `first`).</summary>
    private const string TenCentres = "{ centers(first: 10) { nodes { name } } }";

    private static Dictionary<string, string?> Bucket(string who, int maximum, int restore, bool exemptLoopback = true) => new()
    {
        [$"CostLimits:{who}:MaximumAvailable"] = maximum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"CostLimits:{who}:RestoreRate"] = restore.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CostLimits:ExemptLoopback"] = exemptLoopback ? "true" : "false",
    };

    private static JsonNode Cost(JsonNode body) => body["extensions"]!["cost"]!;

    [Fact]
    public async Task Cost_and_bucket_state_come_back_in_extensions_on_every_response_cached_documents_included()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection, Bucket("Partner", 100, 5));
        var (_, key) = await api.CreatePartnerAsync("Recovery Times", []);

        var (_, first) = await api.SendAsync(TenCentres, key: key);
        Assert.Null(first!["errors"]);
        Assert.Equal(12, (double)Cost(first)["requestedQueryCost"]!);
        Assert.Equal(100, (double)Cost(first)["throttleStatus"]!["maximumAvailable"]!);
        Assert.Equal(5, (double)Cost(first)["throttleStatus"]!["restoreRate"]!);
        Assert.Equal(88, (double)Cost(first)["throttleStatus"]!["currentlyAvailable"]!);

        // The same text again skips parsing (document cache) but not the cost.
        var (_, second) = await api.SendAsync(TenCentres, key: key);
        Assert.Equal(12, (double)Cost(second!)["requestedQueryCost"]!);
        Assert.Equal(76, (double)Cost(second!)["throttleStatus"]!["currentlyAvailable"]!);

        // `first` is what a list costs.
        var (_, larger) = await api.SendAsync("{ centers(first: 30) { nodes { name } } }", key: key);
        Assert.Equal(32, (double)Cost(larger!)["requestedQueryCost"]!);

        // Without a key, from this (loopback) test client: costed, not limited.
        var (_, anonymous) = await api.SendAsync(TenCentres);
        Assert.Equal(12, (double)Cost(anonymous!)["requestedQueryCost"]!);
        Assert.Null(Cost(anonymous!)["throttleStatus"]);
    }

    [Fact]
    public async Task Over_the_limit_is_429_RATE_LIMITED_with_Retry_After_and_recovers_as_the_bucket_refills()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection, Bucket("Partner", 30, 2));
        var (_, key) = await api.CreatePartnerAsync("Recovery Times", []);
        var (_, other) = await api.CreatePartnerAsync("Another Site", []);

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(TenCentres, key: key)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(TenCentres, key: key)).Response.StatusCode);
        var (limited, body) = await api.SendAsync(TenCentres, key: key);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        // 6 points left, 12 needed, 2 a second: 3 s.
        Assert.Equal("3", limited.Headers.GetValues("Retry-After").Single());
        var error = Assert.Single(body!["errors"]!.AsArray())!;
        Assert.Equal("RATE_LIMITED", (string)error["extensions"]!["code"]!);
        Assert.Equal(3, (int)error["extensions"]!["retryAfterSeconds"]!);
        Assert.Null(body["data"]);
        Assert.Equal(6, (double)Cost(body)["throttleStatus"]!["currentlyAvailable"]!);

        // Another partner's bucket is its own.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(TenCentres, key: other)).Response.StatusCode);

        api.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await api.SendAsync(TenCentres, key: key)).Response.StatusCode);
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        var (recovered, again) = await api.SendAsync(TenCentres, key: key);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Null(again!["errors"]);
        Assert.Equal(10, again["data"]!["centers"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_query_costing_more_than_the_bucket_holds_is_refused_outright()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection, Bucket("Partner", 30, 2));
        var (_, key) = await api.CreatePartnerAsync("Recovery Times", []);
        var (response, body) = await api.SendAsync("{ centers(first: 50) { nodes { name } } }", key: key);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MAX_COST_EXCEEDED", (string)body!["errors"]![0]!["extensions"]!["code"]!);
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Anonymous_clients_have_a_smaller_bucket_per_address()
    {
        await using var api = new PartnerApi(database.SharedConnectionString, Bucket("Anonymous", 15, 1, exemptLoopback: false));
        var (_, first) = await api.SendAsync(TenCentres);
        Assert.Equal(15, (double)Cost(first!)["throttleStatus"]!["maximumAvailable"]!);
        var (limited, body) = await api.SendAsync(TenCentres);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("RATE_LIMITED", (string)body!["errors"]![0]!["extensions"]!["code"]!);
        Assert.Equal("9", limited.Headers.GetValues("Retry-After").Single());

        var defaults = new IopDirectory.Partners.CostLimitOptions();
        Assert.True(defaults.Anonymous.MaximumAvailable < defaults.Partner.MaximumAvailable && defaults.Anonymous.RestoreRate < defaults.Partner.RestoreRate);
    }
}
