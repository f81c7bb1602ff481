using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation.Errors.Custom;
using IopDirectory.Auth;
using GraphQLValidationError = GraphQL.Validation.ValidationError;

namespace IopDirectory.Operations;

/// <summary>
/// "Did you mean ...?" never names a field that needs a role (<see cref="Authorization.RequireRoles{TSource,TReturn}"/>):
/// a client probing with typos (<c>callbackRequest { nme }</c>) learns nothing about protected fields from the error.
/// The suggestion is dropped for everyone, so the message is the same whatever token the request carries.
/// </summary>
public sealed partial class Suggestions(IServiceProvider services)
{
    public const string QueryTooDeep = "QUERY_TOO_DEEP";
    public const string QueryTooComplex = "QUERY_TOO_COMPLEX";

    private ISchema? _schema;

    public static string CodeOf(ComplexityError error) =>
        error.Message.Contains("too nested", StringComparison.OrdinalIgnoreCase) ? QueryTooDeep : QueryTooComplex;

    /// <summary>The message of <paramref name="error"/> with suggestions of protected fields removed.</summary>
    public string Filter(ExecutionError error, string message)
    {
        if (error is not GraphQLValidationError { Number: "5.3.1" }) return message;
        var match = FieldSuggestion().Match(message);
        if (!match.Success) return message;

        _schema ??= services.GetService(typeof(ISchema)) as ISchema;
        var type = _schema?.AllTypes[match.Groups["type"].Value] as IComplexGraphType;
        var suggested = QuotedName().Matches(match.Groups["names"].Value).Select(m => m.Groups[1].Value).ToList();
        // Unknown type or schema: say nothing rather than something protected.
        var open = type is null
            ? []
            : suggested.Where(name => type.GetField(name) is { } field && field.RequiredRoles() is not { Length: > 0 }).ToList();
        if (open.Count == suggested.Count) return message;

        var head = message[..match.Groups["suggestion"].Index].TrimEnd();
        return open.Count == 0 ? head : $"{head} Did you mean {QuotedOrList(open)}?";
    }

    private static string QuotedOrList(List<string> names) =>
        names.Count == 1 ? $"'{names[0]}'" : string.Join(", ", names.Take(names.Count - 1).Select(n => $"'{n}'")) + $" or '{names[^1]}'";

    [GeneratedRegex(@"field '[^']*' on type '(?<type>[_A-Za-z][_0-9A-Za-z]*)'\.(?<suggestion>\s*Did you mean (?<names>.*)\?)\s*$", RegexOptions.Singleline)]
    private static partial Regex FieldSuggestion();

    [GeneratedRegex(@"'([_A-Za-z][_0-9A-Za-z]*)'")]
    private static partial Regex QuotedName();
}
