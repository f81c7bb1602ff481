using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using IopDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Snapshooter;
using Snapshooter.Xunit;

namespace IopDirectory.Tests.Schema;

[Collection(DatabaseCollection.Name)]
public sealed class SchemaTests(TestDatabase database)
{
    private ISchema BuildSchema()
    {
        using var api = new ApiFactory(database.SharedConnectionString);
        var schema = api.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        return schema;
    }

    /// <summary>schema/schema.graphql is the printed schema: any change to the API shows in review.</summary>
    [Fact]
    public void Printed_schema_matches_schema_graphql()
    {
        var sdl = BuildSchema().Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true });
        Snapshot.Match(sdl, new SnapshotFullName("schema.graphql", Path.Combine(Repository.Root, "schema")));
    }

    [Fact]
    public void Every_type_field_and_argument_has_a_description()
    {
        var missing = new List<string>();
        foreach (var type in BuildSchema().AllTypes.Where(t => !t.Name.StartsWith("__")))
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
