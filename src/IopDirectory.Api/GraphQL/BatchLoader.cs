using GraphQL.DataLoader;

namespace IopDirectory.GraphQL;

/// <summary>
/// A per-request batch loader (the GraphQL.DataLoader package is not served here). Resolvers call
/// <see cref="Load"/> and return the result; the execution strategy resolves every pending result of a
/// level after the level is walked, so the first one to be awaited fetches all pending keys at once.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<ILookup<TKey, TValue>>> fetch)
    where TKey : notnull
{
    private readonly HashSet<TKey> _pending = [];
    private readonly Dictionary<TKey, TValue[]> _loaded = [];

    public IDataLoaderResult<TValue[]> Load(TKey key)
    {
        if (!_loaded.ContainsKey(key)) _pending.Add(key);
        return new Result(this, key);
    }

    /// <summary>Records values already read (e.g. with a search page), so loading that key sends no SQL.</summary>
    public void Prime(TKey key, TValue[] values)
    {
        _loaded[key] = values;
        _pending.Remove(key);
    }

    private async Task<TValue[]> GetAsync(TKey key, CancellationToken cancellationToken)
    {
        if (_loaded.TryGetValue(key, out var values)) return values;

        _pending.Add(key);
        var keys = _pending.ToList();
        _pending.Clear();
        var lookup = await fetch(keys, cancellationToken);
        foreach (var k in keys) _loaded[k] = lookup[k].ToArray();
        return _loaded[key];
    }

    private sealed class Result(BatchLoader<TKey, TValue> loader, TKey key) : IDataLoaderResult<TValue[]>
    {
        public Task<TValue[]> GetResultAsync(CancellationToken cancellationToken = default) => loader.GetAsync(key, cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}

public static class DataLoaderResults
{
    /// <summary>Transforms a pending result without resolving it early (so batching still happens).</summary>
    public static IDataLoaderResult<TResult> Then<T, TResult>(this IDataLoaderResult<T> result, Func<T, TResult> map) =>
        new Mapped<T, TResult>(result, map);

    private sealed class Mapped<T, TResult>(IDataLoaderResult<T> inner, Func<T, TResult> map) : IDataLoaderResult<TResult>
    {
        public async Task<TResult> GetResultAsync(CancellationToken cancellationToken = default) => map(await inner.GetResultAsync(cancellationToken));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
