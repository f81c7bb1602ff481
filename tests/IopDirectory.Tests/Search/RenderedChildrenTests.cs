using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Search;
using IopDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static IopDirectory.Tests.Search.SearchTestKit;

namespace IopDirectory.Tests.Search;

/// <summary>
/// A search page's phones and programs are written straight from the page's JSON when their selection is plain
/// (Search/RenderedChildren.cs). What is written must be what the resolvers give, and anything else must still resolve.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class RenderedChildrenTests(TestDatabase database)
{
    private const string Around = "searchCenters(near: {latitude: 33.49, longitude: -111.93}, radius: {value: 300, unit: MILES}, first: 12)";

    /// <summary>The plan for a document's phones and programs fields (wherever they are in it), as the page would make it.</summary>
    private RenderedChildren? Plan(string document)
    {
        var api = SharedApi(database.SharedConnectionString);
        using var scope = api.Services.CreateScope();
        var parsed = Parser.Parse(document);
        return RenderedChildren.For(api.Services.GetRequiredService<ISchema>(), scope.ServiceProvider.GetRequiredService<DirectoryDbContext>().Model,
            FieldsNamed(parsed, "phones"), FieldsNamed(parsed, "programs"));
    }

    private static List<GraphQLField> FieldsNamed(ASTNode node, string name)
    {
        var found = new List<GraphQLField>();
        void Walk(GraphQLSelectionSet? set)
        {
            foreach (var selection in set?.Selections ?? [])
            {
                if (selection is GraphQLField field)
                {
                    if (field.Name.StringValue == name) found.Add(field);
                    Walk(field.SelectionSet);
                }
                else if (selection is GraphQLInlineFragment inline) Walk(inline.SelectionSet);
            }
        }
        foreach (var definition in ((GraphQLDocument)node).Definitions)
            Walk(definition is GraphQLOperationDefinition op ? op.SelectionSet : definition is GraphQLFragmentDefinition f ? f.SelectionSet : null);
        return found;
    }

    [Fact]
    public void A_plain_selection_is_rendered_and_anything_else_is_left_to_the_resolvers()
    {
        var card = Plan("{ node { phones { number } programs { name tracks { kind } } } }");
        Assert.NotNull(card?.Phones);
        Assert.NotNull(card?.Programs);

        var everything = Plan("""
            { node { phones { __typename n: number kind extension } programs { __typename id: name description stepsDown telehealth inPerson
              t: tracks { __typename kind } } } }
            """);
        Assert.NotNull(everything?.Phones);
        Assert.NotNull(everything?.Programs);

        // Each of these keeps the resolvers for the field it touches (and only that one).
        Assert.Null(Plan("{ node { phones { display } } }"));                                         // computed from the number
        Assert.Null(Plan("{ node { programs { id } } }"));                                            // a global id, encoded
        Assert.Null(Plan("{ node { programs { hoursPerWeek { min } } } }"));                          // an object
        Assert.Null(Plan("{ node { programs { tracks { kind sessions { weekday } } } } }"));          // sessions
        Assert.Null(Plan("{ node { phones { number @include(if: true) } } }"));                      // a directive
        Assert.Null(Plan("{ node { phones @skip(if: false) { number } } }"));
        Assert.Null(Plan("{ node { phones { ... on Phone { number } } } }"));                        // a fragment
        Assert.Null(Plan("{ node { phones { number number } } }"));                                  // merged fields
        Assert.Null(Plan("{ edges { node { phones { number } } } nodes { phones { kind } } }"));       // two phones fields
        var mixed = Plan("{ node { phones { display } programs { name } } }");
        Assert.Null(mixed?.Phones);
        Assert.NotNull(mixed?.Programs);
    }

    /// <summary>Every renderable field, with aliases and __typename, written from the page equals what center(id) resolves.</summary>
    [Fact]
    public async Task Rendered_children_equal_what_center_by_id_resolves()
    {
        var api = SharedApi(database.SharedConnectionString);
        var selections = new[]
        {
            "phones { number } programs { name tracks { kind } }",
            "phones { __typename kind number extension } programs { __typename name description stepsDown telehealth inPerson tracks { __typename kind } }",
            // One alias each (center(id) for 12 centres stays under the operation's alias limit).
            "phones { a: number kind } programs { name tracks { kind } }",
            "phones { number } programs { p: name tracks { kind } }",
            "phones { number } programs { name t: tracks { kind } }",
            "phones { number } programs { name tracks { k: kind } }",
            "phones { __typename } programs { tracks { __typename } }",
            "programs { telehealth } phones { extension }",
        };
        foreach (var selection in selections)
        {
            Assert.NotNull(Plan($"{{ node {{ {selection} }} }}")?.Phones);
            var nodes = await PageChildrenTests.PageEqualsCenterByIdAsync(api, selection);
            Assert.Contains(nodes, n => n["phones"]!.AsArray().Count > 1);
        }
    }

    /// <summary>Executed in process: the plain selection's phones and programs are rendered nodes (no resolver, nothing under them); the others are not.</summary>
    [Fact]
    public async Task A_page_puts_rendered_children_in_the_result_without_resolving_them()
    {
        var api = SharedApi(database.SharedConnectionString);
        var plain = await ExecuteAsync(api, $$"""{ {{Around}} { edges { node { id phones { number } programs { name tracks { kind } } } } } }""");
        Assert.Equal(12, plain.Count(n => n is RenderedNode { Name: "phones" }));
        Assert.Equal(12, plain.Count(n => n is RenderedNode { Name: "programs" }));
        Assert.DoesNotContain(plain, n => n.Name is "number" or "kind" or "tracks");

        var other = await ExecuteAsync(api, $$"""{ {{Around}} { edges { node { id phones { display } programs { name tracks { kind sessions { weekday } } } } } } }""");
        Assert.DoesNotContain(other, n => n is RenderedNode);
        Assert.Contains(other, n => n.Name == "display");
        Assert.Contains(other, n => n.Name == "weekday");
    }

    /// <summary>Runs a query through the API's own executer and returns every node of the result.</summary>
    private static async Task<List<ExecutionNode>> ExecuteAsync(ApiFactory api, string query)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IDocumentExecuter<ISchema>>().ExecuteAsync(new ExecutionOptions
        {
            Query = query,
            RequestServices = scope.ServiceProvider,
        });
        Assert.True(result.Errors is null or { Count: 0 }, result.Errors?.FirstOrDefault()?.Message);
        var nodes = new List<ExecutionNode>();
        void Walk(ExecutionNode node)
        {
            nodes.Add(node);
            if (node is IParentExecutionNode parent) parent.ApplyToChildren((child, _) => Walk(child), (object?)null);
        }
        Walk((ExecutionNode)result.Data!);
        return nodes;
    }
}
