namespace IopDirectory.Data;

/// <summary>One broken rule: the field it concerns, a sentence for people and a code for programs.</summary>
public sealed record ValidationError(string Field, string Message, string Code);

/// <summary>An entity that knows the rules it must satisfy before it is written.</summary>
public interface IValidatable
{
    IEnumerable<ValidationError> Validate();
}

/// <summary>Thrown by SaveChanges before anything is written when an entity breaks a rule.</summary>
public sealed class DirectoryValidationException(IReadOnlyList<ValidationError> errors)
    : Exception(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}
