using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace IopDirectory.GraphQL;

/// <summary>
/// GraphQL.NET's serial strategy, collecting an object's fields once per selection set instead of once per object.
/// <para>
/// For every object in a result (each centre, phone, program and track of a search page) GraphQL.NET collects the
/// fields its selection set asks for: the fragments expanded, each field looked up on the type. For a selection set
/// without directives that depends on the document and the type alone, so the result is kept beside the parsed
/// document (which <see cref="DocumentCache"/> reuses across requests) and the next object of that type takes it. A
/// selection set with <c>@skip</c> or <c>@include</c> anywhere in it or its fragments depends on variables and is
/// collected every time, as before.
/// </para>
/// <para>
/// An object that holds some fields already rendered (<see cref="IRenderedFields"/>) gets a <see cref="RenderedNode"/> for
/// each of them: its value goes into the response as it stands, with no resolver and no nodes under it.
/// </para>
/// </summary>
public sealed class CollectedFieldsStrategy : SerialExecutionStrategy
{
    private sealed record Collected(IGraphType Type, (GraphQLField Field, FieldType Definition)[]? Fields);

    private static readonly ConditionalWeakTable<GraphQLSelectionSet, Collected> BySelectionSet = new();

    protected override void SetSubFieldNodes(ExecutionContext context, ObjectExecutionNode parent)
    {
        Collect(context, parent);
        if (parent.Result is IRenderedFields rendered && parent.SubFields is { } nodes)
            for (var i = 0; i < nodes.Length; i++)
                if (rendered.RenderedValue(nodes[i].Field) is { } value)
                    nodes[i] = new RenderedNode(parent, nodes[i], value);
    }

    /// <summary>A rendered field has its value already: nothing to resolve.</summary>
    protected override Task ExecuteNodeAsync(ExecutionContext context, ExecutionNode node) =>
        node is RenderedNode ? Task.CompletedTask : base.ExecuteNodeAsync(context, node);

    private void Collect(ExecutionContext context, ObjectExecutionNode parent)
    {
        var type = parent.GetObjectGraphType(context.Schema) ?? parent.GraphType;
        var selectionSet = parent.SelectionSet;
        if (type is null || selectionSet is null)
        {
            base.SetSubFieldNodes(context, parent);
            return;
        }
        if (!BySelectionSet.TryGetValue(selectionSet, out var collected))
            collected = Remember(context, type, selectionSet);
        if (collected.Fields is not { } fields || !ReferenceEquals(collected.Type, type))
        {
            base.SetSubFieldNodes(context, parent);
            return;
        }
        var nodes = new ExecutionNode[fields.Length];
        for (var i = 0; i < fields.Length; i++)
            nodes[i] = BuildExecutionNode(parent, fields[i].Definition.ResolvedType!, fields[i].Field, fields[i].Definition);
        parent.SubFields = nodes;
    }

    /// <summary>The first object of a selection set: collects its fields (a method of its own, so the lambda's closure is made here only).</summary>
    private Collected Remember(ExecutionContext context, IGraphType type, GraphQLSelectionSet selectionSet) =>
        BySelectionSet.GetValue(selectionSet, set => HasDirectives(context.Document, set, depth: 0)
            ? new Collected(type, null)
            : new Collected(type, [.. CollectFieldsFrom(context, type, set, null).Values]));

    /// <summary>
    /// Whether the selections collected for this set (its own and those of the fragments it spreads, not the fields'
    /// own selection sets) carry any directive. Fragment cycles are ruled out by validation; the depth bound is a guard.
    /// </summary>
    internal static bool HasDirectives(GraphQLDocument document, GraphQLSelectionSet selectionSet, int depth)
    {
        if (depth > 32) return true;
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field when field.Directives is { Count: > 0 }:
                    return true;
                case GraphQLInlineFragment inline when inline.Directives is { Count: > 0 } || HasDirectives(document, inline.SelectionSet, depth + 1):
                    return true;
                case GraphQLFragmentSpread spread:
                    if (spread.Directives is { Count: > 0 }) return true;
                    var fragment = document.FindFragmentDefinition(spread.FragmentName.Name.Value);
                    if (fragment is null || fragment.Directives is { Count: > 0 } || HasDirectives(document, fragment.SelectionSet, depth + 1))
                        return true;
                    break;
            }
        }
        return false;
    }
}
