using GraphQL.Execution;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphQL.Validation.Rules.Custom;

namespace IopDirectory.GraphQL;

/// <summary>
/// GraphQL.NET's document validator, without a walk of the document that checks nothing.
/// <para>
/// A cached document (<see cref="DocumentCache"/>) is validated with one rule only, the complexity analyzer, whose cost
/// depends on the variables. GraphQL.NET's validator walks the whole document with its type tracking whenever any rule
/// is given, before it coerces the variables, although the complexity rule has nothing to do in that walk: it computes
/// the cost afterwards, from the arguments' values, in a walk of its own. That first walk was ~3% of the API's CPU per
/// search. So when every rule is the complexity rule, this validates with no rules (the variables coerced and the
/// arguments parsed, as always), then runs the rules' after-arguments step on a context holding those values: the same
/// cost, the same errors, the same partner budgets (<see cref="Partners.PartnerExecution"/>).
/// </para>
/// </summary>
public sealed class CostOnlyValidator : IDocumentValidator
{
    private readonly DocumentValidator _inner = new();

    public Task<IValidationResult> ValidateAsync(in ValidationOptions options) =>
        options.Rules is { } rules && rules.Any() && rules.All(rule => rule is ComplexityValidationRule)
            ? CostOnlyAsync(options, rules)
            : _inner.ValidateAsync(options);

    private async Task<IValidationResult> CostOnlyAsync(ValidationOptions options, IEnumerable<IValidationRule> rules)
    {
        var result = await _inner.ValidateAsync(options with { Rules = [] });
        if (!result.IsValid) return result;
        // The rules read the parsed values through the context's dictionaries, which GraphQL.NET fills with these.
        var arguments = result.ArgumentValues as Dictionary<GraphQLField, IDictionary<string, ArgumentValue>>;
        var directives = result.DirectiveValues as Dictionary<ASTNode, IDictionary<string, DirectiveInfo>>;
        if ((arguments is null && result.ArgumentValues is not null) || (directives is null && result.DirectiveValues is not null))
            return await _inner.ValidateAsync(options);

        var context = new ValidationContext
        {
            Schema = options.Schema,
            Document = options.Document,
            Operation = options.Operation,
            UserContext = options.UserContext,
            Extensions = options.Extensions,
            Metrics = options.Metrics,
            RequestServices = options.RequestServices,
            User = options.User,
            CancellationToken = options.CancellationToken,
            Variables = options.Variables,
            ArgumentValues = arguments,
            DirectiveValues = directives,
        };
        foreach (var rule in rules)
            await rule.GetPostNodeVisitorAsync(context);
        return context.HasErrors
            ? new ValidationResult(context.Errors)
            {
                Variables = result.Variables,
                ArgumentValues = result.ArgumentValues,
                DirectiveValues = result.DirectiveValues,
            }
            : result;
    }
}
