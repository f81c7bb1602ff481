using GraphQL.Types;
using IopDirectory.Auth;
using IopDirectory.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IopDirectory.Tests.Auth;

/// <summary>
/// Every protected field or mutation, tried by every role and anonymously. The matrix must name every
/// field the schema protects, so a new protected field cannot ship untested.
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class AuthorizationMatrixTests(TestDatabase database)
{
    public sealed record Entry(string Field, string[] Allowed, string Operation, string ResultPath);

    private const string Hotline = Roles.Hotline, Admin = Roles.Admin, Partner = Roles.Partner, Editor = Roles.Editor;

    /// <summary>A centre id that does not exist: allowed roles get NOT_FOUND (or userErrors), never a write.</summary>
    private const string NoCenter = "Q2VudGVyOjk5OTk5OQ";

    /// <summary>A partner id that does not exist (Partner:999999).</summary>
    private const string NoPartner = "UGFydG5lcjo5OTk5OTk";

    private static string Edit(string mutation, string arguments = "") =>
        $$"""mutation { {{mutation}}(centerId: "{{NoCenter}}", expectedVersion: "1"{{arguments}}) { userErrors { code } } }""";

    public static readonly Entry[] Matrix =
    [
        new("Mutation.routeCall", [Hotline, Admin, Partner],
            """mutation { routeCall(number: "+1 646 555 0987") { rule } }""", "routeCall"),
        new("Query.routingDecisions", [Admin], "{ routingDecisions(first: 1) { hasMore } }", "routingDecisions"),
        new("Query.matchCaller", [Hotline], """{ matchCaller(input: { zip: "85251" }) { __typename } }""", "matchCaller"),
        new("Query.callbackRequests", [Hotline], "{ callbackRequests(first: 1) { totalCount } }", "callbackRequests"),
        new("CallbackRequest.name", [Hotline], "{ callbackRequests(first: 1) { nodes { name } } }", "callbackRequests"),
        new("CallbackRequest.phone", [Hotline], "{ callbackRequests(first: 1) { nodes { phone } } }", "callbackRequests"),
        new("CallbackRequest.phoneDisplay", [Hotline], "{ callbackRequests(first: 1) { nodes { phoneDisplay } } }", "callbackRequests"),
        new("CallbackRequest.zip", [Hotline], "{ callbackRequests(first: 1) { nodes { zip } } }", "callbackRequests"),
        new("Mutation.claimCallback", [Hotline],
            """mutation { claimCallback(id: "Q2FsbGJhY2tSZXF1ZXN0Ojk5OTk5OQ") { userErrors { code } } }""", "claimCallback"),
        new("Mutation.closeCallback", [Hotline],
            """mutation { closeCallback(id: "Q2FsbGJhY2tSZXF1ZXN0Ojk5OTk5OQ", outcome: REACHED) { userErrors { code } } }""", "closeCallback"),
        new("Query.auditLog", [Admin], $$"""{ auditLog(centerId: "{{NoCenter}}") { totalCount } }""", "auditLog"),
        new("Mutation.createCenter", [Admin], """mutation { createCenter(input: { name: "" }) { userErrors { code } } }""", "createCenter"),
        new("Mutation.updateCenter", [Admin, Editor], Edit("updateCenter", ", input: {}"), "updateCenter"),
        new("Mutation.retireCenter", [Admin, Editor], Edit("retireCenter"), "retireCenter"),
        new("Mutation.verifyCenter", [Admin, Editor], Edit("verifyCenter", ", source: \"phone\""), "verifyCenter"),
        new("Mutation.setAcceptingNewPatients", [Admin, Editor], Edit("setAcceptingNewPatients", ", accepting: false"), "setAcceptingNewPatients"),
        new("Mutation.setPhones", [Admin, Editor], Edit("setPhones", ", phones: []"), "setPhones"),
        new("Mutation.setInsurance", [Admin, Editor], Edit("setInsurance", ", input: { payerTypes: [], carriers: [] }"), "setInsurance"),
        new("Mutation.saveProgram", [Admin, Editor], Edit("saveProgram", ", input: { name: \"X\" }"), "saveProgram"),
        new("Mutation.retireProgram", [Admin, Editor], Edit("retireProgram", ", programId: \"SW9wUHJvZ3JhbTox\""), "retireProgram"),
        new("Mutation.saveCallRoute", [Admin], Edit("saveCallRoute", ", input: { number: \"+14805550100\", kind: FACILITY_LINE, destinationKind: FACILITY, destinationNumber: \"+14805550100\", answeredAllHours: true, answerTimeZone: \"America/Phoenix\", hours: [], isPaidPlacement: false, callbacksOffered: false }"), "saveCallRoute"),
        new("Mutation.removeCallRoute", [Admin], Edit("removeCallRoute", ", routeId: \"RGlzcGxheWVkTnVtYmVyOjE\""), "removeCallRoute"),
        new("Mutation.assignEditor", [Admin], $$"""mutation { assignEditor(centerId: "{{NoCenter}}", subject: "x") }""", "assignEditor"),
        new("Mutation.unassignEditor", [Admin], $$"""mutation { unassignEditor(centerId: "{{NoCenter}}", subject: "x") }""", "unassignEditor"),
        new("Query.partners", [Admin], "{ partners { id } }", "partners"),
        new("Query.partnerUsage", [Admin], $$"""{ partnerUsage(partnerId: "{{NoPartner}}") { day } }""", "partnerUsage"),
        new("Mutation.createPartner", [Admin], """mutation { createPartner(input: { name: "" }) { apiKey } }""", "createPartner"),
        new("Mutation.updatePartner", [Admin], $$"""mutation { updatePartner(partnerId: "{{NoPartner}}", input: {}) { id } }""", "updatePartner"),
        new("Mutation.setPartnerOrigins", [Admin], $$"""mutation { setPartnerOrigins(partnerId: "{{NoPartner}}", origins: []) { id } }""", "setPartnerOrigins"),
        new("Mutation.rotatePartnerKey", [Admin], $$"""mutation { rotatePartnerKey(partnerId: "{{NoPartner}}") { apiKey } }""", "rotatePartnerKey"),
        new("Mutation.revokePartnerKey", [Admin], """mutation { revokePartnerKey(keyId: "UGFydG5lcktleTo5OTk5OTk") { id } }""", "revokePartnerKey"),
        new("Mutation.setPartnerTrackingNumbers", [Admin], $$"""mutation { setPartnerTrackingNumbers(partnerId: "{{NoPartner}}", routeIds: []) { id } }""", "setPartnerTrackingNumbers"),
    ];

    public static IEnumerable<object[]> Cases() =>
        Matrix.SelectMany(e => new[] { "ANONYMOUS" }.Concat(Roles.All).Select(identity => new object[] { e.Field, identity }));

    [Fact]
    public async Task Every_protected_field_is_in_the_matrix_with_the_roles_it_declares()
    {
        await using var api = new ApiFactory(database.SharedConnectionString);
        var schema = api.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        var declared = schema.AllTypes.OfType<IComplexGraphType>()
            .SelectMany(t => t.Fields.Where(f => f.RequiredRoles() is { Length: > 0 }).Select(f => (Field: $"{t.Name}.{f.Name}", Roles: f.RequiredRoles()!)))
            .ToDictionary(x => x.Field, x => x.Roles.Order().ToArray());
        var matrix = Matrix.ToDictionary(e => e.Field, e => e.Allowed.Order().ToArray());
        Assert.Equal(declared.Keys.Order(), matrix.Keys.Order());
        foreach (var (field, roles) in matrix)
            Assert.True(roles.SequenceEqual(declared[field]), $"{field}: matrix says {string.Join(",", roles)}, schema says {string.Join(",", declared[field])}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_the_allowed_roles_reach_the_resolver(string field, string identity)
    {
        var entry = Matrix.Single(e => e.Field == field);
        var connection = entry.Operation.TrimStart().StartsWith("mutation") ? await database.CreateCopyAsync() : database.SharedConnectionString;
        await using var api = new ApiFactory(connection);
        var token = identity == "ANONYMOUS" ? null : api.TokenFor(identity);
        var body = await api.GraphQLAsync(entry.Operation, token: token);

        var codes = body["errors"]?.AsArray().Select(e => (string?)e!["extensions"]!["code"]).ToList() ?? [];
        if (entry.Allowed.Contains(identity))
        {
            Assert.DoesNotContain("UNAUTHENTICATED", codes);
            Assert.DoesNotContain("FORBIDDEN", codes);
        }
        else
        {
            Assert.Contains(identity == "ANONYMOUS" ? "UNAUTHENTICATED" : "FORBIDDEN", codes);
            Assert.Null(body["data"]?[entry.ResultPath]);
        }
    }
}
