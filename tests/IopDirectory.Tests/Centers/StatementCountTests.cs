using IopDirectory.Data;
using IopDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IopDirectory.Tests.Centers;

/// <summary>No N+1: the batch loaders make a page cost the same statements whatever its size.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class StatementCountTests(TestDatabase database)
{
    private const string PageQuery = """
        query($first: Int!) {
          centers(first: $first) {
            totalCount
            edges { node {
              id name
              phones { number }
              displayedNumbers { number hours { weekday } }
              payment { payerTypes insurancePlans { carrierName } }
              programs { id services { code } tracks { kind sessions { weekday startsAt } } }
            } }
          }
        }
        """;

    private static async Task<long> StatementsForPageAsync(ApiFactory api, int size)
    {
        var counter = api.Services.GetRequiredService<SqlStatementCounter>();
        var before = counter.Count;
        var body = await api.GraphQLAsync(PageQuery, new { first = size });
        Assert.Null(body["errors"]);
        Assert.Equal(size, body["data"]!["centers"]!["edges"]!.AsArray().Count);
        return counter.Count - before;
    }

    [Fact]
    public async Task A_page_costs_a_fixed_number_of_statements_whatever_its_size()
    {
        await using var api = new ApiFactory(database.SharedConnectionString);
        await api.GraphQLAsync("{ __typename }"); // warm-up: the first request builds the schema

        var small = await StatementsForPageAsync(api, 2);
        var large = await StatementsForPageAsync(api, 60);

        Assert.Equal(small, large);
        // centres, count, phones, routes (+hours), plans, programs, tracks (+sessions)
        Assert.True(large <= 7, $"expected at most 7 statements, saw {large}");
    }
}
