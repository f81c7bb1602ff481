using System.Net;
using IopDirectory.Partners;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Partners;

/// <summary>Trusted documents: run by sha256 id by anyone; the only thing a restricted partner's key can run.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class TrustedDocumentTests(TestDatabase database)
{
    private static readonly object Variables = new { zip = "85251", filter = new { tracks = new[] { "EVENING" } }, first = 3 };

    [Fact]
    public void The_partner_example_is_the_widgets_trusted_document_so_its_id_is_its_sha256()
    {
        var example = File.ReadAllText(Path.Combine(Repository.Root, "schema", "examples", "partner-widget-listings.graphql"));
        var source = File.ReadAllText(Path.Combine(Repository.Root, "src", "IopDirectory.Api", "Partners", "Documents", "widget-listings.graphql"));
        Assert.Equal(source, example);
        Assert.Equal(TrustedDocuments.IdOf(example), TrustedDocuments.Widget.Id);
        Assert.Matches("^sha256:[0-9a-f]{64}$", TrustedDocuments.Widget.Id);
    }

    [Fact]
    public async Task A_restricted_partner_runs_trusted_documents_by_id_and_nothing_else()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (_, key) = await api.CreatePartnerAsync("Recovery Times", [], trustedDocumentsOnly: true);

        var (refused, refusal) = await api.SendAsync("{ centers(first: 1) { nodes { name } } }", key: key);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("TRUSTED_DOCUMENTS_ONLY", (string)refusal!["errors"]![0]!["extensions"]!["code"]!);

        var (ok, body) = await api.SendAsync("", Variables, key: key, documentId: TrustedDocuments.Widget.Id);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Null(body!["errors"]);
        Assert.Equal(3, body["data"]!["searchCenters"]!["edges"]!.AsArray().Count);
        Assert.NotNull(body["extensions"]!["cost"]!["requestedQueryCost"]);

        var (unknown, missing) = await api.SendAsync("", Variables, key: key, documentId: "sha256:" + new string('0', 64));
        Assert.NotEqual(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Null(missing!["data"]);
    }

    [Fact]
    public async Task Anyone_may_run_a_trusted_document_by_id_and_unrestricted_keys_may_also_send_text()
    {
        var connection = await database.CreateCopyAsync();
        await using var api = new PartnerApi(connection);
        var (_, key) = await api.CreatePartnerAsync("Open Site", []);
        var (_, anonymous) = await api.SendAsync("", Variables, documentId: TrustedDocuments.Widget.Id);
        Assert.Null(anonymous!["errors"]);
        var (_, text) = await api.SendAsync("{ centers(first: 1) { nodes { name } } }", key: key);
        Assert.Null(text!["errors"]);
    }
}
