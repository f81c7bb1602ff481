using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IopDirectory.Tests.Callbacks;
using IopDirectory.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace IopDirectory.Tests.Operations;

/// <summary>
/// The API in memory on the given database, with extra settings (limits, timeouts, telemetry) and every log line
/// captured. ApiFactory is sealed and takes no settings; this is its configurable sibling.
/// </summary>
public sealed class OperationsApi(string connectionString, IReadOnlyDictionary<string, string>? settings = null, LogLevel captureLevel = LogLevel.Warning)
    : WebApplicationFactory<Program>
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Directory", connectionString);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting("Logging:LogLevel:Default", captureLevel.ToString());
        builder.UseSetting("Auth:SigningKey", ApiFactory.SigningKey);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(captureLevel);
            logging.AddProvider(Logs);
            logging.AddFilter<CapturedLogs>(null, captureLevel);
        });
    }

    /// <summary>
    /// Closes idle pooled connections on dispose: a run makes many database copies and APIs, and idle connections to
    /// each would otherwise hold PostgreSQL's connection slots until the pool prunes them.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    /// <summary>POSTs a raw body; the response, unread.</summary>
    public async Task<HttpResponseMessage> PostRawAsync(HttpClient client, string body, string? token = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    /// <summary>POSTs an operation; status, headers and parsed body.</summary>
    public async Task<(HttpResponseMessage Response, JsonNode Body, string Text)> PostAsync(HttpClient client, string query, object? variables = null, string? token = null)
    {
        var response = await PostRawAsync(client, JsonSerializer.Serialize(new { query, variables }), token);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonNode.Parse(text)!, text);
    }

    public static string? Code(JsonNode body) => (string?)body["errors"]?[0]?["extensions"]?["code"];
}
