
namespace IopDirectory.GraphQL.Ide;

/// <summary>
/// The browser explorer for the GraphQL API: a single self-contained HTML page (inline CSS and script,
/// no external URLs) embedded in the assembly, with the example queries spliced in when it is served.
/// </summary>
public static class IdePage
{
    /// <summary>The text in ide.html that <see cref="Render"/> replaces with the examples array.</summary>
    public const string ExamplesPlaceholder = "/*__EXAMPLES__*/[]";

    private static readonly Lazy<string> Template = new(LoadTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Returns the page with <paramref name="examplesJson"/> (a JSON array of
    /// <c>{ "name", "description", "query" }</c> objects) in place of the placeholder.
    /// The JSON is made safe to sit inside a script element: <c>&lt;/</c> becomes <c>&lt;\/</c>
    /// and <c>&lt;!--</c> becomes <c>\u003C!--</c>, which mean the same inside JSON strings.
    /// </summary>
    public static string Render(string examplesJson)
    {
        var json = string.IsNullOrWhiteSpace(examplesJson) ? "[]" : examplesJson.Trim();
        json = json.Replace("</", "<\\/", StringComparison.Ordinal)
                   .Replace("<!--", "\\u003C!--", StringComparison.Ordinal);
        return Template.Value.Replace(ExamplesPlaceholder, json, StringComparison.Ordinal);
    }

    private static string LoadTemplate()
    {
        var assembly = typeof(IdePage).Assembly;
        var name = assembly.GetManifestResourceNames()
                       .SingleOrDefault(n => n.EndsWith(".GraphQL.Ide.ide.html", StringComparison.OrdinalIgnoreCase))
                   ?? throw new InvalidOperationException(
                       "The GraphQL explorer page (GraphQL/Ide/ide.html) is not embedded in " + assembly.GetName().Name + ".");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var html = reader.ReadToEnd();
        if (!html.Contains(ExamplesPlaceholder, StringComparison.Ordinal))
            throw new InvalidOperationException("The GraphQL explorer page lacks the examples placeholder " + ExamplesPlaceholder + ".");
        return html;
    }
}
