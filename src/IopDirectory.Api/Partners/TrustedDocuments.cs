using System.Security.Cryptography;
using System.Text;
using GraphQL.PersistedDocuments;

namespace IopDirectory.Partners;

/// <summary>
/// The trusted documents: every Partners/Documents/*.graphql, embedded in the API, known by the id
/// <c>sha256:</c> + the lower-case hex SHA-256 of the file's UTF-8 text (the persisted-documents id of the
/// GraphQL-over-HTTP draft). Anyone may run them by id; partners restricted to trusted documents run nothing else.
/// </summary>
public sealed class TrustedDocuments : IPersistedDocumentLoader
{
    private const string ResourcePrefix = "IopDirectory.Partners.Documents.";

    private static readonly Lazy<IReadOnlyDictionary<string, TrustedDocument>> All = new(Load);

    /// <summary>Trusted documents by file name (without .graphql).</summary>
    public static IReadOnlyDictionary<string, TrustedDocument> ByName => All.Value;

    public static TrustedDocument Widget => ByName["widget-listings"];

    public static string IdOf(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public ValueTask<string?> GetQueryAsync(string? documentIdPrefix, string documentIdPayload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(documentIdPrefix == "sha256" ? All.Value.Values.FirstOrDefault(d => d.Id == "sha256:" + documentIdPayload)?.Text : null);

    private static IReadOnlyDictionary<string, TrustedDocument> Load()
    {
        var assembly = typeof(TrustedDocuments).Assembly;
        var documents = new Dictionary<string, TrustedDocument>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".graphql", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!, Encoding.UTF8);
            var text = reader.ReadToEnd();
            var name = resource[ResourcePrefix.Length..^".graphql".Length];
            documents[name] = new TrustedDocument(name, IdOf(text), text);
        }
        return documents;
    }
}

public sealed record TrustedDocument(string Name, string Id, string Text);
