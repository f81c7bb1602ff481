using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IopDirectory.Auth;
using IopDirectory.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace IopDirectory.Tests.Callbacks;

/// <summary>
/// The API in memory with what ApiFactory sets, plus call-back settings and every log line captured at
/// Trace level (ApiFactory is sealed and logs at Warning; these tests need both knobs).
/// </summary>
public sealed class CallbackApi(string connectionString, int maxPerIp = 1000, int windowSeconds = 3600) : WebApplicationFactory<Program>
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Directory", connectionString);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting("Auth:SigningKey", ApiFactory.SigningKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Callbacks:MaxPerIpPerHour", maxPerIp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Callbacks:WindowSeconds", windowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(Logs);
            // A rule for this provider wins over every generic rule (appsettings' categories included):
            // it sees everything, while the console keeps to warnings.
            logging.AddFilter<CapturedLogs>(null, LogLevel.Trace);
        });
    }

    /// <summary>A token with the given roles for the given subject (operator).</summary>
    public static string Token(string subject, params string[] roles) =>
        AuthSetup.MintToken(new AuthOptions { SigningKey = ApiFactory.SigningKey }, subject, roles, TimeSpan.FromHours(1));

    public static string Hotline(string subject = "operator-a") => Token(subject, Roles.Hotline);

    /// <summary>POSTs an operation; returns the parsed body and the raw text (to search for leaks).</summary>
    public async Task<(JsonNode Body, string Text)> PostAsync(string query, object? variables = null, string? token = null, int expectedStatus = 200)
    {
        using var client = CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/graphql", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return (JsonNode.Parse(text)!, text);
    }

    public async Task<JsonNode> GraphQLAsync(string query, object? variables = null, string? token = null) =>
        (await PostAsync(query, variables, token)).Body;
}

/// <summary>Every log entry of every category and level: rendered message and exception text.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            owner._entries.Enqueue($"{category} [scope] {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder($"{logLevel} {category} [{eventId}] {formatter(state, exception)}");
            // Structured values too: a sink that stores properties must not get the data either.
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
                foreach (var (key, value) in properties)
                    text.Append(" | ").Append(key).Append('=').Append(value);
            if (exception is not null) text.Append('\n').Append(exception);
            owner._entries.Enqueue(text.ToString());
        }
    }
}

/// <summary>A person who asks for a call back, in every spelling their data might leak in.</summary>
public static class Caller
{
    public const string Name = "Jordan Testperson";
    public const string Phone = "(480) 555-0199";
    public const string E164 = "+14805550199";

    public static readonly string[] Secrets = [Name, "Testperson", "4805550199", E164, "(480) 555-0199", "480-555-0199", "480.555.0199", "555-0199", "5550199"];

    public const string RequestMutation = """
        mutation Request($input: RequestCallbackInput!) {
          requestCallback(input: $input) {
            callbackRequest { id status createdAt }
            userErrors { field message code }
          }
        }
        """;

    /// <summary>A valid request: tomorrow between 9:00 and 17:00 UTC, with consent.</summary>
    public static Dictionary<string, object?> Input(Action<Dictionary<string, object?>>? change = null)
    {
        var tomorrow = DateTimeOffset.UtcNow.Date.AddDays(1);
        var input = new Dictionary<string, object?>
        {
            ["name"] = Name,
            ["phone"] = Phone,
            ["zip"] = "85004",
            ["preferredFrom"] = new DateTimeOffset(tomorrow.AddHours(9), TimeSpan.Zero),
            ["preferredUntil"] = new DateTimeOffset(tomorrow.AddHours(17), TimeSpan.Zero),
            ["consent"] = true,
        };
        change?.Invoke(input);
        return input;
    }

    public static void AssertNoSecrets(string text, string where)
    {
        foreach (var secret in Secrets)
            Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{where} contains '{secret}':\n{text}");
    }
}
