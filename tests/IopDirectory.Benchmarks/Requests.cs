using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IopDirectory.Search;
using Npgsql;

namespace IopDirectory.Benchmarks;

/// <summary>The GraphQL client: POST JSON over kept-alive connections, one per concurrent client.</summary>
public sealed class ApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue GraphQLResponse = new("application/graphql-response+json");
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    private readonly AuthenticationHeaderValue? _authorization;

    public ApiClient(Uri endpoint, int connections, TimeSpan? timeout = null, string? bearerToken = null)
    {
        _authorization = bearerToken is null ? null : new AuthenticationHeaderValue("Bearer", bearerToken);
        if (!IPAddress.IsLoopback(IPAddress.Parse(endpoint.Host)))
            throw new InvalidOperationException($"The benchmark sends traffic to 127.0.0.1 only, not {endpoint.Host}.");
        _endpoint = endpoint;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    public async Task<byte[]> PostAsync(byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content, Version = HttpVersion.Version11 };
        request.Headers.Accept.Add(GraphQLResponse);
        request.Headers.Authorization = _authorization;
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        Check((int)response.StatusCode, bytes);
        return bytes;
    }

    /// <summary>Throws unless the response is a 200 without GraphQL errors.</summary>
    public static void Check(int status, ReadOnlySpan<byte> body)
    {
        if (status != (int)HttpStatusCode.OK)
            throw new RequestFailedException($"HTTP {status}: {Snippet(body)}");
        if (body.IndexOf("\"errors\""u8) >= 0)
            throw new RequestFailedException($"GraphQL errors: {Snippet(body)}");
    }

    /// <summary>How many times <paramref name="key"/> occurs in the body (edges counted as "node" keys, matches as "rank").</summary>
    public static int Count(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key)
    {
        var count = 0;
        for (int at; (at = body.IndexOf(key)) >= 0; body = body[(at + key.Length)..]) count++;
        return count;
    }

    /// <summary>One search request: the number of edges returned.</summary>
    public async Task<int> SearchAsync(byte[] body, CancellationToken ct) => Count(await PostAsync(body, ct), "\"node\""u8);

    /// <summary>One matchCaller request: the number of matches returned.</summary>
    public async Task<int> MatchAsync(byte[] body, CancellationToken ct) => Count(await PostAsync(body, ct), "\"rank\""u8);

    private static string Snippet(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 400)]);

    public void Dispose() => _http.Dispose();
}

/// <summary>The raw-SQL requests, through Npgsql directly.</summary>
public static class RawRequests
{
    /// <summary>The single best statement; reads every column (phones and programs arrive as JSON text).</summary>
    public static async Task<int> BestAsync(NpgsqlDataSource source, Variant variant, QueryPoint point, CancellationToken ct)
    {
        await using var command = source.CreateCommand(variant.RawSql);
        command.Parameters.AddRange(variant.RawParameters(point));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = 0;
        while (await reader.ReadAsync(ct))
        {
            _ = reader.GetInt32(0);
            _ = reader.GetString(1);
            _ = reader.GetDouble(2);
            _ = reader.GetString(3);
            _ = reader.GetString(4);
            rows++;
        }
        return Math.Min(rows, Variant.PageSize);
    }

    /// <summary>
    /// The API's statement (captured from its own code) sent as the API sends it (<see cref="NearestFirstPlan"/>), every
    /// column read: the database and driver share of an API request, without EF materialisation, GraphQL and HTTP.
    /// </summary>
    public static async Task<int> EfSqlAsync(NpgsqlDataSource source, EfStatements ef, QueryPoint point, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await using var reader = await NearestFirstPlan.ExecuteReaderAsync(connection, null, ef.Page.Sql, ef.Page.WithOrigin(point), ct);
        var values = new object[reader.FieldCount];
        var rows = 0;
        while (await reader.ReadAsync(ct))
        {
            reader.GetValues(values);
            rows++;
        }
        return Math.Min(rows, Variant.PageSize);
    }

    /// <summary>The page as (name, metres) from the best raw statement, to check the API returns the same centres.</summary>
    public static async Task<List<(string Name, double Meters)>> PageAsync(NpgsqlDataSource source, Variant variant, QueryPoint point, CancellationToken ct)
    {
        await using var command = source.CreateCommand(variant.RawSql);
        command.Parameters.AddRange(variant.RawParameters(point));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(string, double)>();
        while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(1), reader.GetDouble(2)));
        return [.. rows.Take(Variant.PageSize)];
    }

    public static List<(string Name, double Meters)> ApiPage(byte[] response)
    {
        using var document = JsonDocument.Parse(response);
        return [.. document.RootElement.GetProperty("data").GetProperty("searchCenters").GetProperty("edges").EnumerateArray()
            .Select(e => (e.GetProperty("node").GetProperty("name").GetString()!, e.GetProperty("distance").GetProperty("meters").GetDouble()))];
    }
}

/// <summary>pg_stat_statements: statements executed in the benchmark database between a reset and a read.</summary>
public static class StatementStats
{
    public sealed record Top(long Calls, double MeanMs, string Query);

    public static async Task ResetAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var command = source.CreateCommand("SELECT pg_stat_statements_reset()");
        await command.ExecuteNonQueryAsync(ct);
    }

    private const string Ours = "dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat_statements%'";

    /// <summary>Statements since the reset: all of them, and how many were Npgsql's <c>DISCARD ALL</c> (the pool's connection reset).</summary>
    public static async Task<(long Calls, long Discards, List<Top> Top)> ReadAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var sum = source.CreateCommand(
            $"SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(calls) FILTER (WHERE query = 'DISCARD ALL'), 0)::bigint FROM pg_stat_statements WHERE {Ours}");
        long calls, discards;
        await using (var totals = await sum.ExecuteReaderAsync(ct))
        {
            await totals.ReadAsync(ct);
            (calls, discards) = (totals.GetInt64(0), totals.GetInt64(1));
        }
        await using var top = source.CreateCommand(
            $"SELECT calls, mean_exec_time, regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements WHERE {Ours} ORDER BY calls DESC, total_exec_time DESC LIMIT 8");
        await using var reader = await top.ExecuteReaderAsync(ct);
        var list = new List<Top>();
        while (await reader.ReadAsync(ct)) list.Add(new Top(reader.GetInt64(0), reader.GetDouble(1), reader.GetString(2)));
        return (calls, discards, list);
    }
}
