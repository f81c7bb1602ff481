using GraphQLParser;
using GraphQLParser.AST;
using IopDirectory.GraphQL;
using IopDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IopDirectory.Tests.Search;

/// <summary>
/// <see cref="CostOnlyValidator"/> skips GraphQL.NET's walk of a cached document when only the cost is checked: the
/// cost, the depth and the refusal must be those of GraphQL.NET's own validator, whatever the variables.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class CostOnlyValidatorTests(TestDatabase database)
{
    private const string Document = """
        query($lat: Float!, $lng: Float!, $first: Int!, $phones: Boolean!) {
          searchCenters(near: {latitude: $lat, longitude: $lng}, first: $first) {
            totalCount
            edges { node { id name phones @include(if: $phones) { number } programs { name tracks { kind } } ...More } }
          }
        }
        fragment More on Center { languages { value } otherPrograms: programs { id } }
        """;

    [Fact]
    public void The_api_validates_with_it()
    {
        var services = SearchTestKit.SharedApi(database.SharedConnectionString).Services;
        Assert.IsType<CostOnlyValidator>(services.GetRequiredService<global::GraphQL.Validation.IDocumentValidator>());
    }

    [Theory]
    [InlineData(1, true, 100_000)]
    [InlineData(20, true, 100_000)]
    [InlineData(20, false, 100_000)]
    [InlineData(100, true, 100_000)]
    [InlineData(100, true, 500)]
    [InlineData(100, false, 500)]
    public async Task The_cost_and_the_refusal_are_those_of_the_full_validator(int first, bool phones, int maxComplexity)
    {
        var schema = SearchTestKit.SharedApi(database.SharedConnectionString).Services.GetRequiredService<global::GraphQL.Types.ISchema>();
        var document = Parser.Parse(Document);
        var variables = new global::GraphQL.Inputs(new Dictionary<string, object?> { ["lat"] = 33.49, ["lng"] = -111.93, ["first"] = first, ["phones"] = phones });

        async Task<(double Cost, int Depth, string[] Errors)> Validate(global::GraphQL.Validation.IDocumentValidator validator)
        {
            (double Cost, int Depth) seen = (-1, -1);
            var rule = new global::GraphQL.Validation.Rules.Custom.ComplexityValidationRule(new global::GraphQL.Validation.Complexity.ComplexityOptions
            {
                MaxComplexity = maxComplexity,
                MaxDepth = 20,
                DefaultListImpactMultiplier = 3,
                ValidateComplexityDelegate = context => { seen = (context.TotalImpact, context.MaxDepth); return Task.CompletedTask; },
            });
            var result = await validator.ValidateAsync(new global::GraphQL.Validation.ValidationOptions
            {
                Schema = schema,
                Document = document,
                Operation = document.Definitions.OfType<GraphQLOperationDefinition>().Single(),
                Variables = variables,
                Rules = [rule],
                UserContext = new Dictionary<string, object?>(),
                Metrics = global::GraphQL.Instrumentation.Metrics.None,
            });
            return (seen.Cost, seen.Depth, result.Errors.Select(e => e.Message).ToArray());
        }

        var full = await Validate(new global::GraphQL.Validation.DocumentValidator());
        var costOnly = await Validate(new CostOnlyValidator());
        Assert.Equal((full.Cost, full.Depth), (costOnly.Cost, costOnly.Depth));
        Assert.Equal(full.Errors, costOnly.Errors);
        if (maxComplexity < 1_000)
            Assert.NotEmpty(full.Errors);
        else
            Assert.True(full.Cost > first, $"the cost ({full.Cost}) follows the page size");
    }
}
