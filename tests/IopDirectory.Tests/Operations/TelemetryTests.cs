using System.Collections.Concurrent;
using System.Diagnostics;
using IopDirectory.Auth;
using IopDirectory.Tests.Callbacks;
using IopDirectory.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace IopDirectory.Tests.Operations;

/// <summary>
/// Traces carry the GraphQL operation (type, name, cost) and its SQL; logs carry a request id; neither ever
/// carries a caller's name or number, at any level.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class TelemetryTests(TestDatabase database)
{
    /// <summary>Every activity of the sources the API instruments, with its tags, while it is alive.</summary>
    private sealed class Spans : IDisposable
    {
        private readonly ActivityListener _listener;

        public ConcurrentQueue<Activity> Stopped { get; } = new();

        public Spans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "GraphQL" or "Npgsql" or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task Exporters_are_off_by_default_and_on_when_configured()
    {
        await using (var off = new OperationsApi(database.SharedConnectionString))
        {
            using var _ = off.CreateClient();
            Assert.Null(off.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)));
            Assert.Null(off.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)));
        }
        await using (var otlp = new OperationsApi(database.SharedConnectionString, new Dictionary<string, string>
        {
            ["Telemetry:Exporter"] = "otlp",
            ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:1",
        }))
        {
            using var _ = otlp.CreateClient();
            Assert.NotNull(otlp.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)));
            Assert.NotNull(otlp.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)));
        }
        await using var wrong = new OperationsApi(database.SharedConnectionString, new Dictionary<string, string> { ["Telemetry:Exporter"] = "zipkin" });
        Assert.Throws<InvalidOperationException>(() => wrong.CreateClient());
    }

    [Fact]
    public async Task A_graphql_span_names_the_operation_and_its_cost()
    {
        using var spans = new Spans();
        await using var api = new OperationsApi(database.SharedConnectionString);
        using var client = api.CreateClient();

        var (response, body, _) = await api.PostAsync(client, "query TelemetryProbe { centers(first: 2) { nodes { name } } }");
        Assert.Null(body["errors"]);

        var span = Assert.Single(spans.Stopped, a => a.Source.Name == "GraphQL" && (string?)a.GetTagItem("graphql.operation.name") == "TelemetryProbe");
        Assert.Equal("query", span.GetTagItem("graphql.operation.type"));
        Assert.True(Convert.ToDouble(span.GetTagItem("graphql.operation.cost")) > 0, "no cost on the span");
        Assert.Null(span.GetTagItem("graphql.document"));
        // Its SQL is a child span (Npgsql), under the same trace.
        Assert.Contains(spans.Stopped, a => a.Source.Name == "Npgsql" && a.TraceId == span.TraceId);
        Assert.True(response.Headers.Contains("X-Request-Id"));
    }

    [Fact]
    public async Task A_callers_details_never_reach_logs_or_spans_even_at_debug()
    {
        using var spans = new Spans();
        var connection = await database.CreateCopyAsync();
        await using var api = new OperationsApi(connection, new Dictionary<string, string> { ["Callbacks:MaxPerIpPerHour"] = "2" }, LogLevel.Debug);
        using var client = api.CreateClient();
        var hotline = CallbackApi.Token("operator-a", Roles.Hotline);

        var (ok, created, _) = await api.PostAsync(client, Caller.RequestMutation, new { input = Caller.Input() });
        var id = (string)created["data"]!["requestCallback"]!["callbackRequest"]!["id"]!;
        await api.PostAsync(client, Caller.RequestMutation, new { input = Caller.Input(i => i["phone"] = "(480) 555-019") });
        await api.PostAsync(client, Caller.RequestMutation, new { input = Caller.Input() });   // rate limited
        await api.PostAsync(client, "{ callbackRequests { nodes { name phone zip } } }", token: hotline);
        await api.PostAsync(client, "mutation($id: ID!) { claimCallback(id: $id) { userErrors { code } } }", new { id }, hotline);
        // Inline literals too: the document is never recorded, not only the variables.
        await api.PostAsync(client, "mutation { requestCallback(input: { name: \"" + Caller.Name + "\", phone: \"" + Caller.Phone
            + "\", zip: \"85004\", preferredFrom: \"2030-01-01T09:00:00Z\", preferredUntil: \"2030-01-01T10:00:00Z\", consent: true }) { userErrors { code } } }",
            token: hotline);

        var entries = api.Logs.Entries.ToList();
        // The capture works at Debug (positive control), and requests carry their id in a scope.
        Assert.Contains(entries, e => e.StartsWith("Debug", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("[scope]", StringComparison.Ordinal) && e.Contains("RequestId", StringComparison.Ordinal));
        foreach (var entry in entries) Caller.AssertNoSecrets(entry, "a log entry");

        Assert.Contains(spans.Stopped, a => a.Source.Name == "Npgsql" && a.OperationName.Length > 0);
        foreach (var span in spans.Stopped)
        {
            var text = span.DisplayName + " " + string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                + " " + string.Join(" ", span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")));
            Caller.AssertNoSecrets(text, $"a {span.Source.Name} span");
        }
    }
}
