using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using IopDirectory.Callbacks;
using IopDirectory.Centers;
using IopDirectory.Matching;
using IopDirectory.Data;
using IopDirectory.Editing;
using IopDirectory.Operations;

namespace IopDirectory.GraphQL;

public static class GraphQLSetup
{
    public static IServiceCollection AddDirectoryGraphQL(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<GraphQLHttpOptions>(configuration.GetSection("GraphQL"));
        services.AddScoped<CenterLoaders>();
        services.AddScoped<Search.CenterSearch>();
        services.AddMatching();
        services.AddCallbacks();
        services.AddEditing();
        Partners.PartnerOperations.AddPartners(services);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<global::GraphQL.DI.IConfigureExecution, DocumentCache>();
        services.AddSingleton<global::GraphQL.Validation.IDocumentValidator, CostOnlyValidator>();
        services.AddSingleton(_ => Geo.ZipCentroids.LoadDefault());
        services.AddGraphQL(graphql => graphql
            .AddSchema<DirectorySchema>()
            .AddGraphTypes(typeof(DirectorySchema).Assembly)
            .AddSystemTextJson(json =>
            {
                // Readable messages: no \u0027 for apostrophes. Responses are JSON, never HTML.
                json.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            })
            .AddErrorInfoProvider<DirectoryErrorInfoProvider>()
            // One DbContext per request: resolvers run one at a time; batch loaders keep it to a few statements.
            .AddExecutionStrategy<CollectedFieldsStrategy>(OperationType.Query)
            .AddComplexityAnalyzer(complexity =>
            {
                // Depth and cost limits from `Limits` (README "Operations").
                Operations.OperationsSetup.ConfigureComplexity(complexity, configuration);
                // The cost the partner limits take (Partners/PartnerExecution): 1 a field, lists times `first`, or times 3
                // for a centre's own short lists (programs, tracks, sessions, numbers) that take no `first`.
                complexity.DefaultListImpactMultiplier = 3;
                complexity.ValidateComplexityDelegate = async context =>
                {
                    Operations.Telemetry.RecordCost(context.TotalImpact, context.MaxDepth);
                    await Partners.PartnerExecution.ValidateComplexityAsync(context);
                };
            })
            // Cached documents skip validation (DocumentCache), but the cost must be taken on every request.
            .ConfigureExecutionOptions(options =>
            {
                if (options.RequestServices?.GetService<global::GraphQL.Validation.Rules.Custom.ComplexityValidationRule>() is { } cost)
                    options.CachedDocumentValidationRules = [.. options.CachedDocumentValidationRules ?? [], cost];
            })
            .UsePersistedDocuments<Partners.TrustedDocuments>(global::GraphQL.DI.ServiceLifetime.Singleton, documents => documents.AllowOnlyPersistedDocuments = false)
            .AddOperationLimits()
            .AddUnhandledExceptionHandler(context =>
            {
                if (Operations.DatabaseFaults.Translate(context)) return;
                if (context.OriginalException is DirectoryValidationException validation)
                {
                    context.Exception = Errors.From(validation);
                    return;
                }
                context.ExecutionOptions.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("IopDirectory.GraphQL")
                    .LogError(context.OriginalException, "Unhandled error in {Field}", context.FieldContext?.FieldDefinition.Name);
                context.ErrorMessage = "Something went wrong on our side; the error has been logged.";
            }));
        return services;
    }
}
