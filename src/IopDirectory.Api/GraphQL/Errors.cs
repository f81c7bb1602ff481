using GraphQL;
using GraphQL.Execution;
using IopDirectory.Data;
using GraphQLValidationError = GraphQL.Validation.ValidationError;

namespace IopDirectory.GraphQL;

/// <summary>The error codes clients can rely on, in <c>extensions.code</c>.</summary>
public static class ErrorCodes
{
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string NotFound = "NOT_FOUND";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string RateLimited = "RATE_LIMITED";
    public const string BadRequest = "BAD_REQUEST";
    public const string GraphQLParseFailed = "GRAPHQL_PARSE_FAILED";
    public const string GraphQLValidationFailed = "GRAPHQL_VALIDATION_FAILED";
    public const string Internal = "INTERNAL_SERVER_ERROR";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
}

public static class Errors
{
    public static ExecutionError BadUserInput(string message, string? argument = null)
    {
        var error = new ExecutionError(message) { Code = ErrorCodes.BadUserInput };
        if (argument is not null) error.Data["argument"] = argument;
        return error;
    }

    public static ExecutionError NotFound(string message) => new(message) { Code = ErrorCodes.NotFound };

    /// <summary>Model validation failures become BAD_USER_INPUT with one detail per broken rule.</summary>
    public static ExecutionError From(DirectoryValidationException exception)
    {
        var error = new ExecutionError(exception.Errors[0].Message + (exception.Errors.Count > 1 ? $" (and {exception.Errors.Count - 1} more)" : ""))
        {
            Code = ErrorCodes.BadUserInput,
        };
        error.Data["details"] = exception.Errors.Select(e => new Dictionary<string, object?>
        {
            ["field"] = e.Field,
            ["message"] = e.Message,
            ["code"] = e.Code,
        }).ToList();
        return error;
    }
}

/// <summary>
/// Writes <c>extensions</c> as { code, ...data } and nothing else: no exception type names, no stack
/// traces, no inner messages (an unhandled exception only ever shows a generic message).
/// </summary>
public sealed class DirectoryErrorInfoProvider(Operations.Suggestions suggestions) : IErrorInfoProvider
{
    private static readonly System.Text.RegularExpressions.Regex QuotedValue = new(@"(Unable to convert |value |Value )'[^']*'",
        System.Text.RegularExpressions.RegexOptions.Compiled);

    private static readonly System.Text.RegularExpressions.Regex FoundValue = new(@"(found )[^;]*?(?=(\.\s|\.$|;|$))",
        System.Text.RegularExpressions.RegexOptions.Compiled);

    /// <summary>
    /// Values that failed to coerce are not echoed back: a variable may hold a caller's name or phone.
    /// </summary>
    private static string Scrub(ExecutionError error) =>
        error is GraphQLValidationError { Number: { } rule } && (rule.StartsWith("5.6") || rule.StartsWith("5.8"))
            ? FoundValue.Replace(QuotedValue.Replace(error.Message, m => m.Groups[1].Value + "(value withheld)"), m => m.Groups[1].Value + "(value withheld)")
            : error.Message;

    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        var code = executionError switch
        {
            SyntaxError => ErrorCodes.GraphQLParseFailed,
            global::GraphQL.Validation.Errors.Custom.ComplexityError complexity => Operations.Suggestions.CodeOf(complexity),
            Operations.LimitExceededError limit => limit.Code!,
            GraphQLValidationError => ErrorCodes.GraphQLValidationFailed,
            UnhandledError => ErrorCodes.Internal,
            { Code: { Length: > 0 } c } => c,
            _ => ErrorCodes.Internal,
        };

        var extensions = new Dictionary<string, object?> { ["code"] = code };
        // Only our own errors carry data; an unhandled exception's data (a PostgresException's
        // SQL state, message, position...) must never reach a client.
        if (executionError is not UnhandledError && executionError.InnerException is null)
            foreach (System.Collections.DictionaryEntry entry in executionError.Data)
                extensions[entry.Key.ToString()!] = entry.Value;
        if (executionError is GraphQLValidationError validation && validation.Number is not null)
            extensions["rule"] = validation.Number;

        return new ErrorInfo { Message = suggestions.Filter(executionError, Scrub(executionError)), Extensions = extensions };
    }
}
