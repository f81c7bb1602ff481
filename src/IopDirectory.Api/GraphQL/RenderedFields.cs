using GraphQL.Execution;
using GraphQLParser.AST;

namespace IopDirectory.GraphQL;

/// <summary>
/// An object that already holds some of its fields' values in their final JSON form (a search page's phones and
/// programs, written by PostgreSQL in the page's own statement). <see cref="CollectedFieldsStrategy"/> puts such a value
/// in the result as it stands: no resolver runs for the field, and no node is made for the objects and scalars under it.
/// </summary>
public interface IRenderedFields
{
    /// <summary>
    /// The value of this field of the document (this very AST node, so the selection under it is the one the value was
    /// written for), which System.Text.Json must serialize exactly as GraphQL would have written the field; null when
    /// the field is to be resolved as usual.
    /// </summary>
    object? RenderedValue(GraphQLField field);
}

/// <summary>A field whose value came rendered (<see cref="IRenderedFields"/>): nothing to resolve, nothing under it to complete.</summary>
public sealed class RenderedNode : ExecutionNode
{
    public RenderedNode(ObjectExecutionNode parent, ExecutionNode replaced, object value)
        : base(parent, replaced.GraphType!, replaced.Field, replaced.FieldDefinition, replaced.IndexInParentNode) =>
        Result = value;

    public override object? ToValue() => Result;
}
