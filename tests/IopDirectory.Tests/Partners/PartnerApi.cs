using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IopDirectory.Tests.Partners;

/// <summary>A clock the test moves by hand: buckets refill when the test says so, never by sleeping.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>The API on a database, with extra settings and a manual clock; helpers to send keys and origins.</summary>
public sealed class PartnerApi(string connectionString, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public ManualClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Directory", connectionString);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Auth:SigningKey", ApiFactory.SigningKey);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>
    /// Closes the idle pooled connections to this test's database copy (the API's and the test's own): a run holds
    /// dozens of copies, and idle connections to each would otherwise outlive the test until PostgreSQL runs out of slots.
    /// Tests of the database collection run one at a time, so no other test has a connection in flight.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A real HTTP server on a free loopback port, for the browser.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        return ClientOptions.BaseAddress;
    }

    public string Admin => IopDirectory.Auth.AuthSetup.MintToken(new IopDirectory.Auth.AuthOptions { SigningKey = ApiFactory.SigningKey }, "test-admin",
        [IopDirectory.Auth.Roles.Admin], TimeSpan.FromHours(1));

    public async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(string query, object? variables = null, string? key = null,
        string? origin = null, string? token = null, string? documentId = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql");
        var payload = documentId is null ? JsonSerializer.Serialize(new { query, variables }) : JsonSerializer.Serialize(new { documentId, variables });
        request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Runs an operation as ADMIN and returns its data, asserting there were no errors.</summary>
    public async Task<JsonNode> AdminAsync(string query, object? variables = null)
    {
        var (response, body) = await SendAsync(query, variables, token: Admin);
        Assert.True(body?["errors"] is null, $"{(int)response.StatusCode}: {body}");
        return body!["data"]!;
    }

    /// <summary>Creates a partner through the API and returns its id and first key.</summary>
    public async Task<(string Id, string Key)> CreatePartnerAsync(string name, string[] origins, string? defaultState = null, bool trustedDocumentsOnly = false)
    {
        var data = await AdminAsync("""
            mutation($input: PartnerInput!) { createPartner(input: $input) { apiKey partner { id } } }
            """, new { input = new { name, origins, defaultState, trustedDocumentsOnly } });
        return ((string)data["createPartner"]!["partner"]!["id"]!, (string)data["createPartner"]!["apiKey"]!);
    }
}
