using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace IopDirectory.GraphQL;

/// <summary>
/// Keeps parsed documents that passed validation, keyed by their text, so a repeated operation (a referral site
/// sends the same few) skips parsing and the validation rules that do not depend on variables. Rules registered for
/// cached documents (the complexity analyzer: its cost depends on <c>first</c> and other variables) still run, and
/// variables are still coerced on every request.
/// <para>
/// Bounded: at most <see cref="MaxEntries"/> documents of at most <see cref="MaxLength"/> characters. When it is
/// full, it starts over, so a client sending endless distinct documents costs a re-parse, never unbounded memory.
/// </para>
/// </summary>
public sealed class DocumentCache : IConfigureExecution
{
    public const int MaxEntries = 2_000;
    public const int MaxLength = 20_000;

    private readonly ConcurrentDictionary<string, GraphQLDocument> _documents = new(StringComparer.Ordinal);

    public float SortOrder => 200;

    public int Count => _documents.Count;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is not { Length: <= MaxLength } query)
            return await next(options);

        var cached = _documents.TryGetValue(query, out var document);
        if (cached)
        {
            options.Document = document;
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
        }
        var result = await next(options);
        if (!cached && result.Executed && result.Document is not null)
        {
            if (_documents.Count >= MaxEntries) _documents.Clear();
            _documents.TryAdd(query, result.Document);
        }
        return result;
    }
}
