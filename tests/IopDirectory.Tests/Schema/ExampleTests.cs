using System.Text.Json;
using IopDirectory.GraphQL;
using IopDirectory.Tests.Infrastructure;
using Snapshooter;
using Snapshooter.Xunit;

namespace IopDirectory.Tests.Schema;

/// <summary>Every operation in schema/examples runs against the seed and matches its reviewed snapshot.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class ExampleTests(TestDatabase database)
{
    private static string ExamplesFolder => Path.Combine(Repository.Root, "schema", "examples");

    public static IEnumerable<object[]> ExampleNames() =>
        Examples.Load(ExamplesFolder).Select(e => new object[] { e.Name });

    [Fact]
    public void Every_example_says_who_uses_it_and_why()
    {
        var examples = Examples.Load(ExamplesFolder);
        Assert.NotEmpty(examples);
        Assert.All(examples, e => Assert.Matches(@"(?i)who\b.*\bwhy\b", e.Description));
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public async Task Example_runs_and_matches_its_snapshot(string name)
    {
        var example = Examples.Load(ExamplesFolder).Single(e => e.Name == name);
        var variablesPath = Path.Combine(ExamplesFolder, name + ".variables.json");
        var variables = File.Exists(variablesPath) ? JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(variablesPath)) : (JsonElement?)null;

        // Examples for protected operations say "# Role: HOTLINE" (or another role) in their header.
        var role = System.Text.RegularExpressions.Regex.Match(example.Query, @"^#\s*Role:\s*(\w+)", System.Text.RegularExpressions.RegexOptions.Multiline);
        // Examples that write run on their own copy of the seed, so they cannot disturb other tests.
        var writes = example.Query.TrimStart().Split('\n').SkipWhile(l => l.StartsWith('#')).FirstOrDefault()?.TrimStart().StartsWith("mutation") == true;
        await using var api = new ApiFactory(writes ? await database.CreateCopyAsync() : database.SharedConnectionString);
        variables = await PrepareEditAsync(api, role.Success ? role.Groups[1].Value : null, variables);
        var body = await api.GraphQLAsync(example.Query, variables, token: role.Success ? api.TokenFor(role.Groups[1].Value) : null);
        Assert.Null(body["errors"]);
        Snapshot.Match(body.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), new SnapshotNameExtension(name));
    }

    /// <summary>
    /// Editing examples name a <c>centerId</c> and say <c>"expectedVersion": "$version"</c>: the runner reads the centre's
    /// current version, as a client would, and for "# Role: EDITOR" first assigns the example's editor to that centre.
    /// </summary>
    private static async Task<JsonElement?> PrepareEditAsync(ApiFactory api, string? role, JsonElement? variables)
    {
        if (variables is not { } v || !v.TryGetProperty("centerId", out var centerId)) return variables;
        var admin = api.TokenFor(IopDirectory.Auth.Roles.Admin);
        if (role == IopDirectory.Auth.Roles.Editor)
        {
            var subject = new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().ReadJwtToken(api.TokenFor(role)).Subject;
            var assigned = await api.GraphQLAsync("mutation($id: ID!, $s: String!) { assignEditor(centerId: $id, subject: $s) }",
                new { id = centerId.GetString(), s = subject }, token: admin);
            Assert.Null(assigned["errors"]);
        }
        if (v.TryGetProperty("expectedVersion", out var version) && version.GetString() == "$version")
        {
            var read = await api.GraphQLAsync("query($id: ID!) { center(id: $id) { version } }", new { id = centerId.GetString() }, token: admin);
            var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(v.GetRawText())!;
            values["expectedVersion"] = JsonSerializer.SerializeToElement((string)read["data"]!["center"]!["version"]!);
            return JsonSerializer.SerializeToElement(values);
        }
        return variables;
    }
}
