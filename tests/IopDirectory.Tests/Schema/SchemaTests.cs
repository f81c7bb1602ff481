using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using IopDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IopDirectory.Tests.Schema;

[Collection(DatabaseCollection.Name)]
public sealed class SchemaTests(TestDatabase database)
{
    private ISchema BuildSchema(ApiFactory api)
    {
        var schema = api.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        return schema;
    }

    /// <summary>
    /// schema/schema.graphql is the printed schema: any change to the API shows in review. This is a
    /// snapshot test with the snapshot kept where readers look for it (Snapshooter only writes into
    /// __snapshots__ folders): like Snapshooter, a missing file is written unless
    /// SNAPSHOOTER_STRICT_MODE is on (as in CI), and a different one fails.
    /// </summary>
    [Fact]
    public void Printed_schema_matches_schema_graphql()
    {
        using var api = new ApiFactory(database.SharedConnectionString);
        var sdl = BuildSchema(api).Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true })
            .ReplaceLineEndings("\n").TrimEnd() + "\n";
        var path = Path.Combine(Repository.Root, "schema", "schema.graphql");
        if (!File.Exists(path))
        {
            Assert.False(Environment.GetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE") is "on" or "true",
                "schema/schema.graphql is missing: run the tests locally to print it, review it and commit it.");
            File.WriteAllText(path, sdl);
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == sdl) return;
        var (a, b) = (expected.Split('\n'), sdl.Split('\n'));
        var line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
        Assert.Fail($"The schema changed at line {line + 1} of schema/schema.graphql:\n  file:    {a.ElementAtOrDefault(line)}\n  printed: {b.ElementAtOrDefault(line)}\n" +
            "Delete schema/schema.graphql, run the tests to print it again, review the diff and commit it.");
    }

    [Fact]
    public void Every_type_field_and_argument_has_a_description()
    {
        using var api = new ApiFactory(database.SharedConnectionString);
        var missing = new List<string>();
        foreach (var type in BuildSchema(api).AllTypes.Where(t => !t.Name.StartsWith("__")))
        {
            if (type is ScalarGraphType && type.Name is "String" or "Int" or "Float" or "Boolean" or "ID") continue;
            if (string.IsNullOrWhiteSpace(type.Description)) missing.Add(type.Name);
            if (type is IComplexGraphType complex)
            {
                foreach (var field in complex.Fields)
                {
                    if (string.IsNullOrWhiteSpace(field.Description)) missing.Add($"{type.Name}.{field.Name}");
                    foreach (var argument in field.Arguments ?? [])
                        if (string.IsNullOrWhiteSpace(argument.Description)) missing.Add($"{type.Name}.{field.Name}({argument.Name})");
                }
            }
            if (type is EnumerationGraphType enumeration)
                foreach (var value in enumeration.Values)
                    if (string.IsNullOrWhiteSpace(value.Description)) missing.Add($"{type.Name}.{value.Name}");
        }
        Assert.True(missing.Count == 0, "Missing descriptions: " + string.Join(", ", missing));
    }
}
