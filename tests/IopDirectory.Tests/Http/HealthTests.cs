using System.Net;
using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Http;

[Collection(DatabaseCollection.Name)]
public sealed class HealthTests(TestDatabase database)
{
    [Fact]
    public async Task Ready_reports_postgis_when_the_database_answers()
    {
        await using var api = new ApiFactory(database.SharedConnectionString);
        using var client = api.CreateClient();
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("3.", (string?)JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["postgis"]);
    }

    [Fact]
    public async Task Ready_is_503_when_the_database_does_not_answer()
    {
        // A port nothing listens on: the API still starts, and says it is not ready.
        await using var api = new ApiFactory("Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");
        using var client = api.CreateClient();
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }
}
