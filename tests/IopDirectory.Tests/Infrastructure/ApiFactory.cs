using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IopDirectory.Tests.Infrastructure;

/// <summary>The API in memory, on the given database.</summary>
public sealed class ApiFactory(string connectionString) : WebApplicationFactory<Program>
{
    public const string SigningKey = "test-signing-key-for-iopdirectory-tests-0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Directory", connectionString);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Auth:SigningKey", SigningKey);
    }

    /// <summary>A bearer token for the given roles, signed with the test key.</summary>
    public string TokenFor(params string[] roles) =>
        IopDirectory.Auth.AuthSetup.MintToken(new IopDirectory.Auth.AuthOptions { SigningKey = SigningKey }, "test-" + string.Join("-", roles).ToLowerInvariant(),
            roles, TimeSpan.FromHours(1));

    /// <summary>POSTs an operation and returns the parsed response body, asserting the status.</summary>
    public async Task<JsonNode> GraphQLAsync(string query, object? variables = null, int expectedStatus = 200, string? token = null)
    {
        using var client = CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var body = JsonSerializer.Serialize(new { query, variables });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/graphql", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
