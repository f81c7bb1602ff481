using System.Text;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IopDirectory.GraphQL;

public sealed class GraphQLHttpOptions
{
    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public int MaxBodyBytes { get; set; } = 100_000;

    /// <summary>Most operations in one batched (JSON array) request.</summary>
    public int MaxBatchSize { get; set; } = 10;
}

/// <summary>
/// POST and GET /graphql per the GraphQL-over-HTTP working draft, with its post-watershed
/// (2025-01-01) rules: application/graphql-response+json is the default and the preferred
/// media type, application/json is served to clients that ask for it only. See README "HTTP".
/// </summary>
public static class GraphQLEndpoint
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    public static IEndpointRouteBuilder MapGraphQLEndpoint(this IEndpointRouteBuilder app, string pattern = "/graphql")
    {
        app.Map(pattern, HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext http)
    {
        var isGet = HttpMethods.IsGet(http.Request.Method);
        if (!isGet && !HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteRequestErrorAsync(http, Json, StatusCodes.Status405MethodNotAllowed, "GraphQL is served over GET and POST only.", "METHOD_NOT_ALLOWED");
            return;
        }

        if (isGet && !http.Request.Query.ContainsKey("query") && AcceptsHtml(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(Ide.IdePage.Render(Examples.AsJson()), http.RequestAborted);
            return;
        }

        var mediaType = NegotiateMediaType(http.Request);
        if (mediaType is null)
        {
            await WriteRequestErrorAsync(http, Json, StatusCodes.Status406NotAcceptable,
                $"Accept must allow {GraphQLResponseJson} or {Json}.", "NOT_ACCEPTABLE");
            return;
        }

        // A token that is present but invalid or expired is an error, not an anonymous request.
        if (http.Request.Headers.Authorization.Count > 0)
        {
            var authentication = await http.AuthenticateAsync();
            if (!authentication.Succeeded)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                await WriteRequestErrorAsync(http, mediaType, StatusCodes.Status401Unauthorized,
                    "The bearer token is invalid or expired.", ErrorCodes.Unauthenticated);
                return;
            }
            http.User = authentication.Principal;
        }

        var serializer = http.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        var requests = isGet ? ReadGetRequest(http, serializer) : await ReadPostRequestAsync(http, serializer);
        if (requests.Error is { } error)
        {
            await WriteRequestErrorAsync(http, mediaType, error.Status, error.Message, error.Code);
            return;
        }

        if (isGet && requests.Items.Any(IsMutation))
        {
            http.Response.Headers.Allow = "POST";
            await WriteRequestErrorAsync(http, mediaType, StatusCodes.Status405MethodNotAllowed, "Mutations must be sent with POST.", "METHOD_NOT_ALLOWED");
            return;
        }

        var executer = http.RequestServices.GetRequiredService<IDocumentExecuter<ISchema>>();
        var results = new List<ExecutionResult>(requests.Items.Count);
        foreach (var request in requests.Items)
        {
            results.Add(await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = request.Query,
                DocumentId = request.DocumentId,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                RequestServices = http.RequestServices,
                User = http.User,
                CancellationToken = http.RequestAborted,
            }));
        }

        Operations.DatabaseFaults.ApplyHttpStatus(http, results);
        http.Response.ContentType = mediaType + "; charset=utf-8";
        if (requests.IsBatch)
        {
            await serializer.WriteAsync(http.Response.Body, results, http.RequestAborted);
            return;
        }

        var result = results[0];
        // application/json: 200 whenever the request was well-formed. graphql-response+json: a
        // document that failed to parse or validate was never executed, so the request was bad.
        if (mediaType == GraphQLResponseJson && !result.Executed)
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
        // Refused by the cost limiter (Partners/PartnerExecution): 429, with Retry-After already set.
        if (Partners.PartnerExecution.IsRateLimited(result))
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private sealed record RequestError(int Status, string Message, string Code);

    private sealed record ParsedRequests(IReadOnlyList<GraphQLRequest> Items, bool IsBatch, RequestError? Error)
    {
        public static ParsedRequests Fail(int status, string message, string code = ErrorCodes.BadRequest) => new([], false, new(status, message, code));
    }

    private static ParsedRequests ReadGetRequest(HttpContext http, IGraphQLTextSerializer serializer)
    {
        var query = http.Request.Query;
        if (string.IsNullOrWhiteSpace(query["query"]) && string.IsNullOrWhiteSpace(query["documentId"]))
            return ParsedRequests.Fail(400, "A GraphQL request needs a `query` parameter.");
        try
        {
            var request = new GraphQLRequest
            {
                Query = query["query"],
                DocumentId = query["documentId"],
                OperationName = query["operationName"],
                Variables = string.IsNullOrEmpty(query["variables"]) ? null : serializer.Deserialize<Inputs>(query["variables"]),
                Extensions = string.IsNullOrEmpty(query["extensions"]) ? null : serializer.Deserialize<Inputs>(query["extensions"]),
            };
            return new([request], false, null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return ParsedRequests.Fail(400, "`variables` and `extensions` must be JSON objects.");
        }
    }

    private static async Task<ParsedRequests> ReadPostRequestAsync(HttpContext http, IGraphQLTextSerializer serializer)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase)
            || (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
            return ParsedRequests.Fail(StatusCodes.Status415UnsupportedMediaType,
                "POST bodies must be application/json (UTF-8).", "UNSUPPORTED_MEDIA_TYPE");

        var limit = http.RequestServices.GetRequiredService<IOptions<GraphQLHttpOptions>>().Value;
        if (http.Request.ContentLength > limit.MaxBodyBytes)
            return TooLarge(limit);
        var body = await ReadAtMostAsync(http.Request.Body, http.Request.ContentLength, limit.MaxBodyBytes + 1, http.RequestAborted);
        if (body.Length > limit.MaxBodyBytes)
            return TooLarge(limit);

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return ParsedRequests.Fail(400, "The body is not valid UTF-8.");
        }

        try
        {
            var isBatch = text.AsSpan().TrimStart().StartsWith("[");
            var items = isBatch
                ? serializer.Deserialize<GraphQLRequest[]>(text) ?? []
                : [serializer.Deserialize<GraphQLRequest>(text) ?? throw new System.Text.Json.JsonException("null body")];
            if (items.Length == 0)
                return ParsedRequests.Fail(400, "A batch needs at least one operation.");
            if (items.Length > limit.MaxBatchSize)
                return ParsedRequests.Fail(400, $"A batch holds at most {limit.MaxBatchSize} operations.", "BATCH_TOO_LARGE");
            if (items.Any(r => r is null || string.IsNullOrWhiteSpace(r.Query) && string.IsNullOrWhiteSpace(r.DocumentId)))
                return ParsedRequests.Fail(400, "A GraphQL request needs a `query` string.");
            return new(items, isBatch, null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return ParsedRequests.Fail(400, "The body is not a GraphQL request: expected a JSON object with `query` (string), and optional `operationName` (string), `variables` and `extensions` (objects).");
        }
    }

    private static ParsedRequests TooLarge(GraphQLHttpOptions limit) =>
        ParsedRequests.Fail(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit.MaxBodyBytes} bytes.", "PAYLOAD_TOO_LARGE");

    /// <summary>
    /// Reads the body, at most <paramref name="max"/> bytes. A declared length (the usual case; the server ends the body
    /// there) is read straight into one array of that size; a chunked body grows a buffer.
    /// </summary>
    private static async Task<byte[]> ReadAtMostAsync(Stream body, long? declaredLength, int max, CancellationToken cancellationToken)
    {
        if (declaredLength is { } length && length < max)
        {
            var exact = new byte[length];
            var received = await body.ReadAtLeastAsync(exact, exact.Length, throwOnEndOfStream: false, cancellationToken);
            return received == exact.Length ? exact : exact[..received];
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < max && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, max - buffer.Length)), cancellationToken)) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>True when the operation the request would run is a mutation (GET must refuse it).</summary>
    private static bool IsMutation(GraphQLRequest request)
    {
        if (string.IsNullOrEmpty(request.Query)) return false;
        GraphQLDocument document;
        try
        {
            document = GraphQLParser.Parser.Parse(request.Query, new GraphQLParser.ParserOptions { MaxDepth = 64 });
        }
        catch (Exception)
        {
            return false; // the executer reports the syntax error properly
        }
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var selected = request.OperationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name?.StringValue == request.OperationName);
        return selected?.Operation == OperationType.Mutation;
    }

    /// <summary>Picks the response media type from Accept; null when nothing we serve is acceptable.</summary>
    internal static string? NegotiateMediaType(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept)) return GraphQLResponseJson;
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges)) return GraphQLResponseJson;

        string? best = null;
        double bestQuality = 0;
        foreach (var range in ranges)
        {
            var quality = range.Quality ?? 1.0;
            var type = range.MediaType.Value?.ToLowerInvariant();
            string? candidate = type switch
            {
                GraphQLResponseJson => GraphQLResponseJson,
                Json => Json,
                "application/*" or "*/*" => GraphQLResponseJson,
                _ => null,
            };
            if (candidate is null || quality <= 0) continue;
            // Equal quality: prefer graphql-response+json.
            if (quality > bestQuality || (quality == bestQuality && candidate == GraphQLResponseJson))
            {
                best = candidate;
                bestQuality = quality;
            }
        }
        return best;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges)
        && ranges.Any(r => r.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && (r.Quality ?? 1) > 0);

    private static async Task WriteRequestErrorAsync(HttpContext http, string mediaType, int status, string message, string code)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        var serializer = http.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        var result = new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] };
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}
