using System.Buffers.Text;
using System.Text;
using GraphQL;
using GraphQL.Types;

namespace IopDirectory.GraphQL;

/// <summary>The Relay <c>Node</c> interface: anything with a global id that <c>node(id:)</c> can refetch.</summary>
public sealed class NodeInterface : InterfaceGraphType
{
    public NodeInterface()
    {
        Name = "Node";
        Description = "An object with a globally unique, opaque id that `node(id:)` can refetch.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The object's global id: opaque, stable, never to be parsed by clients.");
    }
}

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed record Edge<T>(string Cursor, T Node);

public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, Func<Task<int>> CountAsync, PageInfo PageInfo);

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Description = "Where a page sits in its list (Relay cursor connections).";
        Field(p => p.HasNextPage).Description("True when more items follow this page.");
        Field(p => p.HasPreviousPage).Description("True when items precede this page.");
        Field(p => p.StartCursor, nullable: true).Description("The cursor of the first item of the page, null when the page is empty.");
        Field(p => p.EndCursor, nullable: true).Description("The cursor of the last item of the page, null when the page is empty.");
    }
}

/// <summary>A Relay connection of <typeparamref name="TNodeType"/>; subclasses only name it.</summary>
public abstract class ConnectionGraphType<TNodeType, TNode> : ObjectGraphType<Connection<TNode>>
    where TNodeType : IGraphType
{
    protected ConnectionGraphType(string nodeName)
    {
        Name = nodeName + "Connection";
        Description = $"A page of {nodeName} items with cursors.";
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("How many items the whole list holds, across all pages.")
            .ResolveAsync(async context => await context.Source.CountAsync());
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Cursors and whether more pages exist.").Resolve(c => c.Source.PageInfo);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeGraphType<TNodeType, TNode>>>>>("edges")
            .Description("The items of this page, each with its cursor.")
            .Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeType>>>>("nodes")
            .Description("The items of this page, without cursors.")
            .Resolve(c => c.Source.Edges.Select(e => e.Node));
    }
}

public sealed class EdgeGraphType<TNodeType, TNode> : ObjectGraphType<Edge<TNode>>
    where TNodeType : IGraphType
{
    public EdgeGraphType()
    {
        // The name is set from the node type's name when the schema is built, e.g. CenterEdge.
        Name = typeof(TNode).Name + "Edge";
        Description = $"One {typeof(TNode).Name} in a connection, with the cursor to resume after it.";
        Field(e => e.Cursor).Description("Opaque position of this item; pass it as `after` or `before`.");
        Field<NonNullGraphType<TNodeType>>("node").Description("The item.").Resolve(c => c.Source.Node);
    }
}

/// <summary>first/after/last/before, checked and decoded.</summary>
public sealed record PageRequest(int? First, int? AfterKey, int? Last, int? BeforeKey)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public bool Backward => Last is not null;
    public int Size => Last ?? First ?? DefaultPageSize;

    public static void AddArguments(FieldType field)
    {
        field.Arguments ??= new QueryArguments();
        field.Arguments.Add(new QueryArgument<IntGraphType> { Name = "first", Description = $"Return the first N items (1 to {MaxPageSize}, default {DefaultPageSize})." });
        field.Arguments.Add(new QueryArgument<StringGraphType> { Name = "after", Description = "Return items after this cursor." });
        field.Arguments.Add(new QueryArgument<IntGraphType> { Name = "last", Description = $"Return the last N items (1 to {MaxPageSize}); use with `before`." });
        field.Arguments.Add(new QueryArgument<StringGraphType> { Name = "before", Description = "Return items before this cursor." });
    }

    public static PageRequest From(IResolveFieldContext context)
    {
        var first = context.GetArgument<int?>("first");
        var last = context.GetArgument<int?>("last");
        if (first is not null && last is not null)
            throw Errors.BadUserInput("Pass `first` or `last`, not both.", "first");
        foreach (var (name, value) in new[] { ("first", first), ("last", last) })
        {
            if (value is < 1 or > MaxPageSize)
                throw Errors.BadUserInput($"`{name}` must be between 1 and {MaxPageSize} (got {value}).", name);
        }
        return new PageRequest(first, DecodeCursor(context.GetArgument<string?>("after"), "after"), last,
            DecodeCursor(context.GetArgument<string?>("before"), "before"));
    }

    public static string EncodeCursor(int key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"k:{key}"));

    private static int? DecodeCursor(string? cursor, string argument)
    {
        if (cursor is null) return null;
        try
        {
            var text = cursor.Length <= 40 ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)) : "";
            if (text.StartsWith("k:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.None, null, out var key))
                return key;
        }
        catch (FormatException)
        {
        }
        throw Errors.BadUserInput($"`{argument}` is not a cursor this list produced.", argument);
    }
}

/// <summary>Entities paged by their integer key (stable, index-backed keyset paging).</summary>
public interface IHasId
{
    int Id { get; }
}

public static class KeysetPaging
{
    /// <summary>One page of <paramref name="query"/> ordered by id; totalCount is counted only if asked for.</summary>
    public static async Task<Connection<T>> PageAsync<T>(IQueryable<T> query, PageRequest page, CancellationToken cancellationToken)
        where T : class, IHasId
    {
        var window = query;
        if (page.AfterKey is { } after) window = window.Where(x => x.Id > after);
        if (page.BeforeKey is { } before) window = window.Where(x => x.Id < before);

        var size = page.Size;
        var ordered = page.Backward ? window.OrderByDescending(x => x.Id) : window.OrderBy(x => x.Id);
        var items = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(ordered.Take(size + 1), cancellationToken);
        var more = items.Count > size;
        if (more) items.RemoveAt(size);
        if (page.Backward) items.Reverse();

        var edges = items.Select(x => new Edge<T>(PageRequest.EncodeCursor(x.Id), x)).ToList();
        var pageInfo = new PageInfo(
            HasNextPage: page.Backward ? page.BeforeKey is not null : more || page.BeforeKey is not null,
            HasPreviousPage: page.Backward ? more || page.AfterKey is not null : page.AfterKey is not null,
            StartCursor: edges.FirstOrDefault()?.Cursor,
            EndCursor: edges.LastOrDefault()?.Cursor);
        return new Connection<T>(edges,
            () => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(query, cancellationToken), pageInfo);
    }
}
