using System.Net;
using IopDirectory.Partners;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Tests.Partners;

/// <summary>Partner keys: stored hashed, shown once, rotated and revoked; honoured only from the partner's origins.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class PartnerKeyTests(TestDatabase database)
{
    private const string Query = "{ taxonomy { tracks { value } } }";
    private const string Site = "https://www.recovery-times.example";

    [Fact]
    public async Task A_key_is_stored_only_as_its_hash_and_works_until_revoked()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (partnerId, key) = await api.CreatePartnerAsync("Recovery Times", [Site]);

        await using (var db = TestDatabase.CreateContext(connection))
        {
            var stored = await db.PartnerKeys.SingleAsync();
            Assert.Equal(ApiKeys.Hash(key), stored.Hash);
            Assert.DoesNotContain(key, stored.Hash + stored.Prefix + string.Concat((await db.Partners.SingleAsync()).Origins));
            Assert.True(key.Length >= 40, "a key carries at least 256 random bits");
        }

        var (ok, body) = await api.SendAsync(Query, key: key);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Null(body!["errors"]);

        var keys = await api.AdminAsync("{ partners { id keys { id prefix revokedAt } } }");
        var keyId = (string)keys["partners"]![0]!["keys"]![0]!["id"]!;
        Assert.Equal(ApiKeys.PrefixOf(key), (string)keys["partners"]![0]!["keys"]![0]!["prefix"]!);
        await api.AdminAsync("mutation($id: ID!) { revokePartnerKey(keyId: $id) { id } }", new { id = keyId });

        var (refused, error) = await api.SendAsync(Query, key: key);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("INVALID_API_KEY", (string)error!["errors"]![0]!["extensions"]!["code"]!);
        Assert.Null(error["data"]);
        Assert.NotNull(partnerId);
    }

    [Fact]
    public async Task An_unknown_key_is_refused_rather_than_treated_as_anonymous()
    {
        await using var api = new PartnerApi(database.SharedConnectionString);
        var (response, body) = await api.SendAsync(Query, key: "iop_not-a-real-key");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("INVALID_API_KEY", (string)body!["errors"]![0]!["extensions"]!["code"]!);
    }

    [Fact]
    public async Task Rotation_issues_a_new_key_and_can_end_the_old_ones()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (partnerId, first) = await api.CreatePartnerAsync("Recovery Times", [Site]);

        var rotated = await api.AdminAsync("mutation($id: ID!) { rotatePartnerKey(partnerId: $id) { apiKey partner { keys { revokedAt } } } }", new { id = partnerId });
        var second = (string)rotated["rotatePartnerKey"]!["apiKey"]!;
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Query, key: first)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Query, key: second)).Response.StatusCode);

        var third = (string)(await api.AdminAsync("mutation($id: ID!) { rotatePartnerKey(partnerId: $id, revokeOthers: true) { apiKey } }",
            new { id = partnerId }))["rotatePartnerKey"]!["apiKey"]!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(Query, key: first)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(Query, key: second)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Query, key: third)).Response.StatusCode);
    }

    [Fact]
    public async Task A_key_is_honoured_only_from_its_own_origins()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (_, key) = await api.CreatePartnerAsync("Recovery Times", [Site + "/"]);

        var (own, ownBody) = await api.SendAsync(Query, key: key, origin: Site);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Null(ownBody!["errors"]);
        Assert.Equal(Site, own.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var (foreign, foreignBody) = await api.SendAsync(Query, key: key, origin: "https://copycat.example");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("ORIGIN_NOT_ALLOWED", (string)foreignBody!["errors"]![0]!["extensions"]!["code"]!);
        Assert.False(foreign.Headers.Contains("Access-Control-Allow-Origin"));

        // Preflights carry no key: answered for origins a partner lists, and for no others.
        Assert.Equal(Site, (await PreflightAsync(api, Site)).Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("X-Api-Key", (await PreflightAsync(api, Site)).Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.False((await PreflightAsync(api, "https://copycat.example")).Headers.Contains("Access-Control-Allow-Origin"));

        // After the admin moves the partner to a new site, the old one is refused.
        var partners = await api.AdminAsync("{ partners { id } }");
        await api.AdminAsync("mutation($id: ID!) { setPartnerOrigins(partnerId: $id, origins: [\"https://new.example\"]) { origins } }",
            new { id = (string)partners["partners"]![0]!["id"]! });
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(Query, key: key, origin: Site)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Query, key: key, origin: "https://new.example")).Response.StatusCode);
    }

    [Fact]
    public async Task Origins_must_be_bare_web_origins()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (_, body) = await api.SendAsync("mutation { createPartner(input: { name: \"X\", origins: [\"https://a.example/path\", \"ftp://b.example\"] }) { apiKey } }",
            token: api.Admin);
        Assert.Equal("BAD_USER_INPUT", (string)body!["errors"]![0]!["extensions"]!["code"]!);
        Assert.Equal(2, body["errors"]![0]!["extensions"]!["details"]!.AsArray().Count(d => (string)d!["code"]! == "INVALID_ORIGIN"));
        await using var db = TestDatabase.CreateContext(connection);
        Assert.Equal(0, await db.Partners.CountAsync());
    }

    [Fact]
    public async Task The_partner_create_command_prints_a_working_key_once_on_stdout()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var output = new StringWriter();
        var (stdout, stderr) = (Console.Out, Console.Error);
        int exit;
        try
        {
            Console.SetOut(output);
            Console.SetError(TextWriter.Null);
            exit = await PartnerCommands.RunAsync(api.Services, ["partner", "create", "--name", "Recovery Times", "--origin", Site, "--state", "az"]);
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
        Assert.Equal(0, exit);
        var key = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("iop_", key);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Query, key: key, origin: Site)).Response.StatusCode);
        var partner = (await api.AdminAsync("{ partners { name origins defaultState } }"))["partners"]![0]!;
        Assert.Equal([Site], partner["origins"]!.AsArray().Select(o => (string)o!));
        Assert.Equal("AZ", (string)partner["defaultState"]!);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(PartnerApi api, string origin)
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type, x-api-key");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return response;
    }
}
