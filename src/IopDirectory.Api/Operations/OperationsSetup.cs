using System.Text.Json;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation.Complexity;
using Microsoft.AspNetCore.Http.Timeouts;

namespace IopDirectory.Operations;

/// <summary>
/// Running the API in production: limits, the request timeout, database fault handling, telemetry and request
/// ids (README "Operations").
/// </summary>
public static class OperationsSetup
{
    public const string RequestTimeoutCode = "REQUEST_TIMEOUT";

    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperationLimits>().BindConfiguration("Limits")
            .Validate(l => l.IsValid(), "Limits: MaxDepth, MaxComplexity and RequestTimeoutSeconds must be positive, MaxAliases at least 0.")
            .ValidateOnStart();
        builder.Services.AddOptions<DatabaseFaultOptions>().BindConfiguration("Database");

        var limits = builder.Configuration.GetSection("Limits").Get<OperationLimits>() ?? new OperationLimits();
        builder.Services.AddRequestTimeouts(options => options.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = TimeSpan.FromSeconds(limits.RequestTimeoutSeconds),
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            WriteTimeoutResponse = WriteTimeoutAsync,
        });

        // In-flight requests get this long to finish when the host stops (SIGTERM from an orchestrator).
        builder.Services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Limits:ShutdownTimeoutSeconds", 30.0)));

        builder.AddDirectoryTelemetry();
        return builder;
    }

    public static WebApplication UseOperations(this WebApplication app)
    {
        // Every response names its request, and every log line written under it carries the same id
        // (ASP.NET Core's scope holds RequestId = TraceIdentifier; JSON console logs show it with IncludeScopes).
        app.Use((http, next) =>
        {
            http.Response.Headers["X-Request-Id"] = http.TraceIdentifier;
            return next(http);
        });
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>Limits that live in the GraphQL pipeline: aliases (a validation rule), telemetry.</summary>
    public static IGraphQLBuilder AddOperationLimits(this IGraphQLBuilder graphql)
    {
        graphql.Services.TryRegister(typeof(Suggestions), typeof(Suggestions), global::GraphQL.DI.ServiceLifetime.Singleton);
        return graphql.AddValidationRule<AliasLimitRule>(useForCachedDocuments: false)
            .UseDirectoryTelemetry();
    }

    /// <summary>The complexity analyzer's limits from <c>Limits</c> (GraphQLSetup records each cost for telemetry).</summary>
    public static void ConfigureComplexity(ComplexityOptions complexity, IConfiguration configuration)
    {
        var limits = configuration.GetSection("Limits").Get<OperationLimits>() ?? new OperationLimits();
        complexity.MaxDepth = limits.MaxDepth;
        complexity.MaxComplexity = limits.MaxComplexity;
    }

    private static async Task WriteTimeoutAsync(HttpContext http)
    {
        var seconds = http.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<OperationLimits>>()?.Value.RequestTimeoutSeconds;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            errors = new[]
            {
                new { message = $"The request took longer than {seconds} seconds and was stopped.", extensions = new { code = RequestTimeoutCode } },
            },
        });
    }
}
