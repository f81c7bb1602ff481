using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;
using IopDirectory.GraphQL;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Search;

/// <summary>
/// <see cref="CollectedFieldsStrategy"/> keeps each selection set's collected fields beside the cached document: the
/// answers must be those of the fields spelled out, request after request, and a selection set whose fields depend on
/// variables (<c>@skip</c>, <c>@include</c>) must follow the variables of each request.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class CollectedFieldsTests(TestDatabase database)
{
    private const string Page = """
        query($lat: Float!, $lng: Float!) {
          searchCenters(near: {latitude: $lat, longitude: $lng}, radius: {value: 300, unit: MILES}, first: 8) {
            edges { node { ...Card ... on Center { phones { number } } id: id node2: name name } }
          }
        }
        fragment Card on Center { id name programs { name ...Tracks } programs { tracks { kind } } }
        fragment Tracks on IopProgram { tracks { kind hoursPerWeek } }
        """;

    private const string Spelled = """
        query($lat: Float!, $lng: Float!) {
          searchCenters(near: {latitude: $lat, longitude: $lng}, radius: {value: 300, unit: MILES}, first: 8) {
            edges { node { id name programs { name tracks { kind hoursPerWeek } } phones { number } node2: name } }
          }
        }
        """;

    [Fact]
    public async Task Fragments_aliases_and_merged_fields_answer_as_spelled_out_on_every_request_of_a_cached_document()
    {
        await using var api = new ApiFactory(database.SharedConnectionString);
        var variables = new { lat = 33.49, lng = -111.93 };
        var expected = await api.GraphQLAsync(Spelled, variables);
        Assert.Null(expected["errors"]);
        var edges = expected["data"]!["searchCenters"]!["edges"]!.AsArray();
        Assert.True(edges.Count >= 2, "the seed has centres around Phoenix");
        Assert.Contains(edges, edge => edge!["node"]!["programs"]!.AsArray().Count > 0);

        for (var request = 0; request < 3; request++)
        {
            var answer = await api.GraphQLAsync(Page, variables);
            Assert.Null(answer["errors"]);
            Assert.True(JsonNode.DeepEquals(expected["data"], answer["data"]), $"request {request}: {answer.ToJsonString()}");
        }
    }

    [Fact]
    public async Task A_selection_with_skip_or_include_follows_each_requests_variables()
    {
        await using var api = new ApiFactory(database.SharedConnectionString);
        const string query = """
            query($lat: Float!, $lng: Float!, $phones: Boolean!, $withName: Boolean!) {
              searchCenters(near: {latitude: $lat, longitude: $lng}, radius: {value: 300, unit: MILES}, first: 3) {
                edges { node { id ...Name @include(if: $withName) phones @include(if: $phones) { number } } }
              }
            }
            fragment Name on Center { name }
            """;
        foreach (var (phones, withName) in new[] { (true, false), (false, true), (true, true), (false, false), (true, false) })
        {
            var answer = await api.GraphQLAsync(query, new { lat = 33.49, lng = -111.93, phones, withName });
            Assert.Null(answer["errors"]);
            var nodes = answer["data"]!["searchCenters"]!["edges"]!.AsArray().Select(edge => edge!["node"]!.AsObject()).ToList();
            Assert.NotEmpty(nodes);
            Assert.All(nodes, node =>
            {
                Assert.Equal(phones, node.ContainsKey("phones"));
                Assert.Equal(withName, node.ContainsKey("name"));
            });
        }
    }

    [Theory]
    [InlineData("{ a b { c } }", false)]
    [InlineData("{ a @skip(if: true) }", true)]
    [InlineData("{ ... on Q { a } }", false)]
    [InlineData("{ ... on Q @include(if: $x) { a } }", true)]
    [InlineData("{ ... on Q { a @include(if: $x) } }", true)]
    [InlineData("{ ...F } fragment F on Q { a }", false)]
    [InlineData("{ ...F @skip(if: $x) } fragment F on Q { a }", true)]
    [InlineData("{ ...F } fragment F on Q { ...G } fragment G on Q { a @skip(if: $x) }", true)]
    [InlineData("{ ...Missing }", true)]
    public void Directives_are_looked_for_in_the_set_and_the_fragments_it_spreads(string text, bool expected)
    {
        var document = Parser.Parse(text);
        var operation = document.Definitions.OfType<GraphQLOperationDefinition>().Single();
        Assert.Equal(expected, CollectedFieldsStrategy.HasDirectives(document, operation.SelectionSet, depth: 0));
    }

    [Fact]
    public void Directives_below_a_field_belong_to_that_fields_own_set()
    {
        // The nested @skip is collected with b's selection set, not with the operation's.
        var document = Parser.Parse("{ a b { c @skip(if: true) } }");
        var operation = document.Definitions.OfType<GraphQLOperationDefinition>().Single();
        Assert.False(CollectedFieldsStrategy.HasDirectives(document, operation.SelectionSet, depth: 0));
        var b = operation.SelectionSet.Selections.OfType<GraphQLField>().Single(f => f.Name.StringValue == "b");
        Assert.True(CollectedFieldsStrategy.HasDirectives(document, b.SelectionSet!, depth: 0));
    }
}
