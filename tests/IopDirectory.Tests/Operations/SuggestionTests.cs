using System.Net;
using IopDirectory.Auth;
using IopDirectory.Tests.Callbacks;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Operations;

/// <summary>"Did you mean ...?" never names a field that needs a role.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class SuggestionTests(TestDatabase database)
{
    private static string Message(System.Text.Json.Nodes.JsonNode body) => (string)body["errors"]![0]!["message"]!;

    [Fact]
    public async Task Typos_near_open_fields_get_suggestions()
    {
        await using var api = new OperationsApi(database.SharedConnectionString);
        using var client = api.CreateClient();
        var (response, body, _) = await api.PostAsync(client, "{ centers(first: 1) { nodes { nmae } } }");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Did you mean 'name'", Message(body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Roles.Partner)]
    [InlineData(Roles.Hotline)]
    public async Task Typos_near_protected_fields_get_no_suggestion_of_them(string? role)
    {
        await using var api = new OperationsApi(database.SharedConnectionString);
        using var client = api.CreateClient();
        var token = role is null ? null : CallbackApi.Token("someone", role);

        foreach (var typo in new[] { "phon", "nme", "phoneDisplai", "zipp" })
        {
            var (response, body, text) = await api.PostAsync(client, "{ callbackRequests { nodes { " + typo + " } } }", token: token);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var message = Message(body);
            Assert.Contains("field '" + typo + "' on type 'CallbackRequest'", message);
            foreach (var field in new[] { "'phone'", "'name'", "'phoneDisplay'", "'zip'" })
                Assert.DoesNotContain(field, text);
        }

        // Open fields of the same type are still suggested.
        var (_, statusBody, _) = await api.PostAsync(client, "{ callbackRequests { nodes { statos } } }", token: token);
        Assert.Contains("'status'", Message(statusBody));
    }
}
