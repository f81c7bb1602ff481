using System.Diagnostics;
using System.Diagnostics.Metrics;
using GraphQL;
using GraphQL.DI;
using GraphQL.Telemetry;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IopDirectory.Operations;

/// <summary>Section <c>Telemetry</c>: where traces and metrics go. Off unless an exporter is named.</summary>
public sealed class TelemetryOptions
{
    /// <summary><c>none</c> (default), <c>console</c> or <c>otlp</c> (endpoint from <see cref="OtlpEndpoint"/> or OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
    public string Exporter { get; set; } = "none";

    public string? OtlpEndpoint { get; set; }

    public string ServiceName { get; set; } = "iopdirectory-api";
}

/// <summary>
/// The API's own metrics (meter <see cref="MeterName"/>): GraphQL operations by type and outcome, their cost,
/// and database faults. Tags are bounded sets (operation type, error code), never client text.
/// </summary>
public static class DirectoryMetrics
{
    public const string MeterName = "IopDirectory";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Operations = Meter.CreateCounter<long>("iopdirectory.graphql.operations", description: "GraphQL operations executed or refused.");

    public static readonly Histogram<double> Cost = Meter.CreateHistogram<double>("iopdirectory.graphql.operation.cost", description: "Complexity-analyzer cost of each validated document.");

    public static readonly Counter<long> DatabaseFaults = Meter.CreateCounter<long>("iopdirectory.database.faults", description: "Requests failed for want of the database, by kind.");
}

public static class Telemetry
{
    /// <summary>Traces: ASP.NET Core, GraphQL (one span per operation: type, name, cost), Npgsql. Metrics: the same plus ours.</summary>
    public static WebApplicationBuilder AddDirectoryTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        var exporter = options.Exporter.Trim().ToLowerInvariant();
        if (exporter is "" or "none") return builder;
        if (exporter is not ("console" or "otlp"))
            throw new InvalidOperationException($"Telemetry:Exporter must be none, console or otlp, not '{options.Exporter}'.");

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o => o.RecordException = false)
                    .AddSource(GraphQLTelemetryProvider.SourceName)
                    .AddNpgsql();
                if (exporter == "console") tracing.AddConsoleExporter();
                else tracing.AddOtlpExporter(o => { if (options.OtlpEndpoint is { Length: > 0 } e) o.Endpoint = new Uri(e); });
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddMeter("Npgsql", MeterName);
                if (exporter == "console") metrics.AddConsoleExporter();
                else metrics.AddOtlpExporter(o => { if (options.OtlpEndpoint is { Length: > 0 } e) o.Endpoint = new Uri(e); });
            });
        return builder;
    }

    private const string MeterName = DirectoryMetrics.MeterName;

    /// <summary>
    /// GraphQL.NET's telemetry: the document is never recorded (literals may hold a caller's details), nor are
    /// exception messages; operation type and name are, and the outcome.
    /// </summary>
    public static IGraphQLBuilder UseDirectoryTelemetry(this IGraphQLBuilder graphql) =>
        graphql.UseTelemetry(telemetry =>
        {
            telemetry.RecordDocument = false;
            telemetry.EnrichWithExecutionResult = (activity, _, result) =>
            {
                var code = FirstCode(result);
                if (code is not null) activity.SetTag("graphql.error.code", code);
                DirectoryMetrics.Operations.Add(1,
                    new KeyValuePair<string, object?>("graphql.operation.type", result.Operation?.Operation.ToString().ToLowerInvariant() ?? "none"),
                    new KeyValuePair<string, object?>("outcome", code ?? "ok"));
            };
        });

    /// <summary>Records a validated document's cost on the current GraphQL span and in the cost histogram.</summary>
    public static void RecordCost(double cost, double depth)
    {
        Activity.Current?.SetTag("graphql.operation.cost", cost);
        Activity.Current?.SetTag("graphql.operation.depth", depth);
        DirectoryMetrics.Cost.Record(cost);
    }

    private static string? FirstCode(ExecutionResult result) =>
        result.Errors is { Count: > 0 } errors ? errors[0].Code ?? "ERROR" : null;
}
