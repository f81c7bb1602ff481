using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Http;

/// <summary>The GraphQL-over-HTTP rules (post-watershed working draft) the endpoint follows.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class HttpProtocolTests(TestDatabase database) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _api = new ApiFactory(database.SharedConnectionString);
        _client = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/json", string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return _client.SendAsync(request);
    }

    private Task<HttpResponseMessage> GetAsync(string query, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(query));
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return _client.SendAsync(request);
    }

    private static async Task<JsonNode> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Post_without_accept_answers_graphql_response_json()
    {
        using var response = await PostAsync("""{"query":"{ __typename }"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Query", (string?)(await BodyAsync(response))["data"]!["__typename"]);
    }

    [Fact]
    public async Task Accept_application_json_is_honoured()
    {
        using var response = await PostAsync("""{"query":"{ __typename }"}""", accept: "application/json");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Higher_quality_media_type_wins()
    {
        using var response = await PostAsync("""{"query":"{ __typename }"}""",
            accept: "application/graphql-response+json;q=0.5, application/json;q=0.9");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Unacceptable_accept_gets_406()
    {
        using var response = await PostAsync("""{"query":"{ __typename }"}""", accept: "text/plain");
        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Parse_error_is_400_under_graphql_response_json_and_200_under_json()
    {
        using var strict = await PostAsync("""{"query":"{ centers( "}""");
        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Equal("GRAPHQL_PARSE_FAILED", (string?)(await BodyAsync(strict))["errors"]![0]!["extensions"]!["code"]);

        using var legacy = await PostAsync("""{"query":"{ centers( "}""", accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("GRAPHQL_PARSE_FAILED", (string?)(await BodyAsync(legacy))["errors"]![0]!["extensions"]!["code"]);
    }

    [Fact]
    public async Task Validation_error_is_400_without_data()
    {
        using var response = await PostAsync("""{"query":"{ noSuchField }"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", (string?)body["errors"]![0]!["extensions"]!["code"]);
        Assert.False(body.AsObject().ContainsKey("data"));
    }

    [Fact]
    public async Task Field_error_with_data_is_200()
    {
        using var response = await PostAsync("""{"query":"{ center(id: \"not-an-id\") { id } }"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal("BAD_USER_INPUT", (string?)body["errors"]![0]!["extensions"]!["code"]);
        Assert.Null(body["data"]!["center"]);
    }

    [Theory]
    [InlineData("{\"query\":")]
    [InlineData("not json")]
    [InlineData("{\"query\": 42}")]
    [InlineData("{\"query\": \"{ __typename }\", \"variables\": \"nope\"}")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task Malformed_bodies_get_400_with_a_code(string body)
    {
        using var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await BodyAsync(response);
        Assert.Equal("BAD_REQUEST", (string?)json["errors"]![0]!["extensions"]!["code"]);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/graphql")]
    [InlineData("application/json; charset=latin1")]
    public async Task Unsupported_content_types_get_415(string contentType)
    {
        using var response = await PostAsync("""{"query":"{ __typename }"}""", contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Oversized_bodies_get_413()
    {
        var huge = "{\"query\":\"{ __typename }\",\"variables\":{\"x\":\"" + new string('a', 200_000) + "\"}}";
        using var response = await PostAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", (string?)(await BodyAsync(response))["errors"]![0]!["extensions"]!["code"]);
    }

    [Fact]
    public async Task Get_runs_queries()
    {
        using var response = await GetAsync("{ __typename }");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Query", (string?)(await BodyAsync(response))["data"]!["__typename"]);
    }

    [Fact]
    public async Task Get_refuses_mutations_with_405_and_allow_post()
    {
        using var response = await GetAsync("mutation { anything }");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Get_with_named_query_operation_among_mutations_runs()
    {
        var request = new HttpRequestMessage(HttpMethod.Get,
            "/graphql?operationName=Q&query=" + Uri.EscapeDataString("query Q { __typename } mutation M { routeCall(number: \"4805550100\") { rule } }"));
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_with_bad_variables_gets_400()
    {
        using var response = await _client.GetAsync("/graphql?query=%7B__typename%7D&variables=%5B1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Other_methods_get_405()
    {
        using var response = await _client.PutAsync("/graphql", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Batched_requests_answer_an_array_in_order()
    {
        using var response = await PostAsync("""[{"query":"{ __typename }"},{"query":"{ taxonomy { tracks { value } } }"}]""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await BodyAsync(response)).AsArray();
        Assert.Equal(2, body.Count);
        Assert.Equal("Query", (string?)body[0]!["data"]!["__typename"]);
        Assert.Equal(3, body[1]!["data"]!["taxonomy"]!["tracks"]!.AsArray().Count);
    }

    [Fact]
    public async Task Browsers_get_the_explorer_page()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("IopDirectory GraphQL explorer", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public async Task Errors_never_carry_stack_traces_or_exception_names()
    {
        using var response = await PostAsync("""{"query":"{ centers(first: -1) { totalCount } nodes(ids: [\"%%%\"]) { id } }"}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain("   at ", text);
        Assert.Contains("BAD_USER_INPUT", text);
    }
}
