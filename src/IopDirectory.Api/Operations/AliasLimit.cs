using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace IopDirectory.Operations;

/// <summary>A document over one of our limits: a validation error with its own <c>extensions.code</c>.</summary>
public sealed class LimitExceededError : ValidationError
{
    public LimitExceededError(string message, string code) : base(message)
    {
        Code = code;
    }
}

/// <summary>
/// Refuses documents whose selected operation asks for more than <see cref="OperationLimits.MaxAliases"/> aliased
/// fields, fragments expanded: aliases are how one request asks for the same expensive field many times
/// (<c>a1: searchCenters(...) a2: searchCenters(...) ...</c>), which depth and page size do not stop.
/// Aliases do not depend on variables, so a cached document never needs this rule again.
/// </summary>
public sealed class AliasLimitRule(IOptions<OperationLimits> limits) : ValidationRuleBase
{
    public const string Code = "TOO_MANY_ALIASES";

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var max = limits.Value.MaxAliases;
        var fragments = context.Document.Definitions.OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => f.FragmentName.Name.StringValue)
            .ToDictionary(g => g.Key, g => g.First());
        // Every operation of the document counts: only one runs, but the rule need not know which.
        var most = 0;
        foreach (var operation in context.Document.Definitions.OfType<GraphQLOperationDefinition>())
            most = Math.Max(most, Count(operation.SelectionSet, fragments, [], max));
        if (most > max)
            context.ReportError(new LimitExceededError($"The operation uses more than {max} aliases.", Code));
        return default;
    }

    /// <summary>Counts aliased fields, stopping as soon as the count passes <paramref name="max"/>.</summary>
    private static int Count(GraphQLSelectionSet? selections, Dictionary<string, GraphQLFragmentDefinition> fragments, HashSet<string> expanding, int max)
    {
        if (selections is null) return 0;
        var count = 0;
        foreach (var selection in selections.Selections)
        {
            if (count > max) break;
            switch (selection)
            {
                case GraphQLField field:
                    if (field.Alias is not null) count++;
                    count += Count(field.SelectionSet, fragments, expanding, max - count);
                    break;
                case GraphQLInlineFragment inline:
                    count += Count(inline.SelectionSet, fragments, expanding, max - count);
                    break;
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    // A cycle is reported by the spec's own rule; here it just stops the walk.
                    if (!fragments.TryGetValue(name, out var fragment) || !expanding.Add(name)) break;
                    count += Count(fragment.SelectionSet, fragments, expanding, max - count);
                    expanding.Remove(name);
                    break;
            }
        }
        return count;
    }
}
