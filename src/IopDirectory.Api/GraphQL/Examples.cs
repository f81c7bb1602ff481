using System.Text.Json;

namespace IopDirectory.GraphQL;

/// <summary>
/// The example operations of schema/examples (copied next to the binary at build time), shown in the
/// IDE. The first comment lines of each file say who uses it and why.
/// </summary>
public static class Examples
{
    private static readonly Lazy<string> Json = new(() => JsonSerializer.Serialize(Load().Select(e => new
    {
        name = e.Name,
        description = e.Description,
        query = e.Query,
    })));

    public sealed record Example(string Name, string Description, string Query);

    public static string AsJson() => Json.Value;

    public static IReadOnlyList<Example> Load(string? directory = null)
    {
        directory ??= Path.Combine(AppContext.BaseDirectory, "examples");
        if (!Directory.Exists(directory)) return [];
        return Directory.GetFiles(directory, "*.graphql").Order(StringComparer.Ordinal).Select(path =>
        {
            var text = File.ReadAllText(path);
            var description = string.Join(" ", text.Split('\n').TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim()));
            return new Example(Path.GetFileNameWithoutExtension(path), description, text);
        }).ToList();
    }
}
