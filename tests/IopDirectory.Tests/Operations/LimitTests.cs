using System.Net;
using System.Text;
using IopDirectory.Operations;
using IopDirectory.Tests.Infrastructure;
using Npgsql;

namespace IopDirectory.Tests.Operations;

/// <summary>Each limit of README "Operations": over it, a clear error code; at it, a normal answer.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class LimitTests(TestDatabase database)
{
    private static string Nested(int levels)
    {
        // __type(name:) { fields { type { ofType { ofType ... } } } }: as deep as asked, on any schema.
        var query = new StringBuilder("{ __type(name: \"Query\") { fields { type { ");
        for (var i = 0; i < levels; i++) query.Append("ofType { ");
        query.Append("name ");
        for (var i = 0; i < levels; i++) query.Append("} ");
        return query.Append("} } } }").ToString();
    }

    [Fact]
    public async Task A_document_deeper_than_MaxDepth_is_refused_with_QUERY_TOO_DEEP()
    {
        await using var api = new OperationsApi(database.SharedConnectionString);
        using var client = api.CreateClient();

        var (ok, okBody, _) = await api.PostAsync(client, Nested(5));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Null(okBody["errors"]);

        var (deep, body, _) = await api.PostAsync(client, Nested(20));
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        Assert.Equal(Suggestions.QueryTooDeep, OperationsApi.Code(body));
        Assert.Null(body["data"]);
    }

    [Fact]
    public async Task A_document_costlier_than_MaxComplexity_is_refused_with_QUERY_TOO_COMPLEX()
    {
        await using var api = new OperationsApi(database.SharedConnectionString);
        using var client = api.CreateClient();
        const string Page = "query($first: Int) { centers(first: $first) { nodes { name programs { name tracks { kind sessions { weekday startsAt endsAt } } } } } }";

        // A full page of 100 passes under the default limit; twenty of them in one document do not.
        var (ok, okBody, okText) = await api.PostAsync(client, Page, new { first = 100 });
        Assert.True(ok.StatusCode == HttpStatusCode.OK, okText);
        Assert.Null(okBody["errors"]);
        var selection = Page[(Page.IndexOf("centers", StringComparison.Ordinal))..^1];
        var four = "query($first: Int) { " + string.Concat(Enumerable.Range(0, 20).Select(i => $"p{i}: {selection} ")) + "}";
        var (costly, body, _) = await api.PostAsync(client, four, new { first = 100 });
        Assert.Equal(HttpStatusCode.BadRequest, costly.StatusCode);
        Assert.Equal(Suggestions.QueryTooComplex, OperationsApi.Code(body));
        Assert.Null(body["data"]);

        // The cost follows the page size the variables ask for, on a cached document too.
        await using var strict = new OperationsApi(database.SharedConnectionString, new Dictionary<string, string> { ["Limits:MaxComplexity"] = "5000" });
        using var strictClient = strict.CreateClient();
        var (small, smallBody, smallText) = await strict.PostAsync(strictClient, Page, new { first = 1 });
        Assert.True(small.StatusCode == HttpStatusCode.OK, smallText);
        Assert.Null(smallBody["errors"]);
        var (large, largeBody, _) = await strict.PostAsync(strictClient, Page, new { first = 100 });
        Assert.Equal(HttpStatusCode.BadRequest, large.StatusCode);
        Assert.Equal(Suggestions.QueryTooComplex, OperationsApi.Code(largeBody));
    }

    [Fact]
    public async Task More_aliases_than_MaxAliases_are_refused_with_TOO_MANY_ALIASES_fragments_included()
    {
        await using var api = new OperationsApi(database.SharedConnectionString);
        using var client = api.CreateClient();
        var max = new OperationLimits().MaxAliases;
        string Aliases(int n) => string.Concat(Enumerable.Range(0, n).Select(i => $"a{i}: __typename "));

        var (ok, okBody, _) = await api.PostAsync(client, "{ " + Aliases(max) + "}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Null(okBody["errors"]);

        var (many, body, _) = await api.PostAsync(client, "{ " + Aliases(max + 1) + "}");
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Equal(AliasLimitRule.Code, OperationsApi.Code(body));

        // Ten aliases in a fragment spread four times is forty.
        var (spread, spreadBody, _) = await api.PostAsync(client,
            "query { ...F x: __schema { ...G } y: __schema { ...G } z: __schema { ...G } } fragment F on Query { " + Aliases(10) + "} "
            + "fragment G on __Schema { " + string.Concat(Enumerable.Range(0, 10).Select(i => $"b{i}: description ")) + "}");
        Assert.Equal(HttpStatusCode.BadRequest, spread.StatusCode);
        Assert.Equal(AliasLimitRule.Code, OperationsApi.Code(spreadBody));
    }

    [Fact]
    public async Task A_batch_over_MaxBatchSize_is_refused_with_BATCH_TOO_LARGE()
    {
        await using var api = new OperationsApi(database.SharedConnectionString);
        using var client = api.CreateClient();
        string Batch(int n) => "[" + string.Join(",", Enumerable.Repeat("""{"query":"{ __typename }"}""", n)) + "]";

        using var ok = await api.PostRawAsync(client, Batch(10));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var many = await api.PostRawAsync(client, Batch(11));
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Contains("BATCH_TOO_LARGE", await many.Content.ReadAsStringAsync());
    }

    /// <summary>Holds an exclusive lock on <c>centers</c> in a copy of the database, so any read of it waits.</summary>
    private async Task<(string ConnectionString, NpgsqlConnection Lock, NpgsqlTransaction Transaction)> LockedCentersAsync()
    {
        var connectionString = await database.CreateCopyAsync();
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE centers IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return (connectionString, connection, transaction);
    }

    [Fact]
    public async Task A_statement_over_the_statement_timeout_is_stopped_with_STATEMENT_TIMEOUT()
    {
        var (connectionString, connection, transaction) = await LockedCentersAsync();
        await using (connection)
        await using (transaction)
        {
            await using var api = new OperationsApi(connectionString, new Dictionary<string, string>
            {
                ["Database:StatementTimeoutSeconds"] = "1",
                ["Limits:RequestTimeoutSeconds"] = "60",
            });
            using var client = api.CreateClient();
            var (response, body, text) = await api.PostAsync(client, "{ centers(first: 1) { totalCount } }");
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            Assert.Equal(DatabaseFaults.StatementTimeoutCode, OperationsApi.Code(body));
            Assert.DoesNotContain("canceling statement", text);
            await transaction.RollbackAsync();

            var (after, afterBody, _) = await api.PostAsync(client, "{ centers(first: 1) { totalCount } }");
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Null(afterBody["errors"]);
        }
    }

    [Fact]
    public async Task A_request_over_the_request_timeout_gets_504_with_REQUEST_TIMEOUT()
    {
        var (connectionString, connection, transaction) = await LockedCentersAsync();
        await using (connection)
        await using (transaction)
        {
            await using var api = new OperationsApi(connectionString, new Dictionary<string, string>
            {
                ["Database:StatementTimeoutSeconds"] = "60",
                ["Limits:RequestTimeoutSeconds"] = "1",
            });
            using var client = api.CreateClient();
            var (response, body, text) = await api.PostAsync(client, "{ centers(first: 1) { totalCount } }");
            Assert.True(response.StatusCode == HttpStatusCode.GatewayTimeout, $"{(int)response.StatusCode} {text}");
            Assert.Equal(OperationsSetup.RequestTimeoutCode, OperationsApi.Code(body));
            await transaction.RollbackAsync();

            var (after, afterBody, _) = await api.PostAsync(client, "{ centers(first: 1) { totalCount } }");
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Null(afterBody["errors"]);
        }
    }
}
