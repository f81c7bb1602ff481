using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Types;

namespace IopDirectory.Partners.Embed;

/// <summary>
/// What partner pages embed: the widget script, the JSON it reads (the widget's trusted document, run with the
/// partner's key so attribution, cost limits and usage apply), the same listings as an HTML page for an iframe, and
/// (in development) a demo partner page.
/// </summary>
public static class EmbedEndpoints
{
    public const int MaxListings = 20;
    private static readonly Lazy<byte[]> WidgetScript = new(() =>
    {
        using var stream = typeof(EmbedEndpoints).Assembly.GetManifestResourceStream("IopDirectory.Partners.Embed.widget.js")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The widget script's size in bytes (uncompressed), as the README states it.</summary>
    public static int WidgetSize => WidgetScript.Value.Length;

    public static IEndpointRouteBuilder MapEmbed(this IEndpointRouteBuilder app, bool development)
    {
        var embed = app.MapGroup("/embed/v1");
        embed.MapGet("/widget.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Bytes(WidgetScript.Value, "text/javascript; charset=utf-8");
        });
        embed.MapGet("/listings.json", ListingsJsonAsync);
        embed.MapGet("/listings", ListingsPageAsync);
        if (development) embed.MapGet("/demo", DemoPage);
        return app;
    }

    private static async Task ListingsJsonAsync(HttpContext http, PartnerRequest partner)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        if (Refusal(partner) is { } refusal)
        {
            // The widget shows the message in place of the listings; nothing about the partner is in it.
            http.Response.Headers.AccessControlAllowOrigin = "*";
            http.Response.StatusCode = refusal.Status;
            await http.Response.WriteAsJsonAsync(new { code = refusal.Code, message = refusal.Message }, http.RequestAborted);
            return;
        }
        var result = await RunWidgetDocumentAsync(http, partner.Partner!);
        if (PartnerExecution.IsRateLimited(result)) http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        else if (!result.Executed) http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.RequestServices.GetRequiredService<IGraphQLTextSerializer>().WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private static async Task ListingsPageAsync(HttpContext http, PartnerRequest partner)
    {
        http.Response.ContentType = "text/html; charset=utf-8";
        if (Refusal(partner) is { } refusal)
        {
            http.Response.StatusCode = refusal.Status;
            await http.Response.WriteAsync(Page("<p class=\"status\" role=\"status\">These listings can’t be shown here right now.</p>"), http.RequestAborted);
            return;
        }
        // Only the partner's own sites may frame its listings.
        http.Response.Headers.ContentSecurityPolicy = "frame-ancestors " + string.Join(' ', partner.Partner!.Origins.DefaultIfEmpty("'self'"));
        var result = await RunWidgetDocumentAsync(http, partner.Partner);
        if (PartnerExecution.IsRateLimited(result)) http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        var json = JsonNode.Parse(http.RequestServices.GetRequiredService<IGraphQLTextSerializer>().Serialize(result));
        var edges = json?["data"]?["searchCenters"]?["edges"]?.AsArray();
        var body = edges is null ? "<p class=\"status\" role=\"status\">These listings can’t be shown here right now.</p>"
            : edges.Count == 0 ? "<p class=\"status\" role=\"status\">No programs match near here yet.</p>"
            : "<ul class=\"list\" aria-label=\"Treatment programs\">" + string.Concat(edges.Select(e => Card(e!))) + "</ul>";
        await http.Response.WriteAsync(Page(body), http.RequestAborted);
    }

    private static (int Status, string Code, string Message)? Refusal(PartnerRequest partner) => partner.Status switch
    {
        KeyStatus.Valid => null,
        KeyStatus.None => (StatusCodes.Status401Unauthorized, "API_KEY_REQUIRED", "These listings need a partner key (data-iop-partner)."),
        var status => (PartnerAccess.Refusal(status).Status, PartnerAccess.Refusal(status).Code, "These listings can’t be shown here right now."),
    };

    /// <summary>Runs the widget's trusted document by id: the same path, limits and attribution as any partner request.</summary>
    internal static Task<ExecutionResult> RunWidgetDocumentAsync(HttpContext http, Partner partner)
    {
        var query = http.Request.Query;
        var filter = new Dictionary<string, object?>();
        if (List(query["tracks"]) is { Count: > 0 } tracks) filter["tracks"] = tracks;
        if (List(query["insurance"]) is { Count: > 0 } payers) filter["payerTypes"] = payers;
        if ((query["state"].FirstOrDefault() ?? partner.DefaultState) is { Length: > 0 } state) filter["state"] = state.ToUpperInvariant();
        var first = int.TryParse(query["first"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, MaxListings) : 5;
        var variables = new Dictionary<string, object?>
        {
            ["zip"] = query["zip"].FirstOrDefault() ?? "",
            ["filter"] = filter,
            ["first"] = first,
        };
        return http.RequestServices.GetRequiredService<IDocumentExecuter<ISchema>>().ExecuteAsync(new ExecutionOptions
        {
            DocumentId = TrustedDocuments.Widget.Id,
            Variables = new Inputs(variables),
            RequestServices = http.RequestServices,
            User = http.User,
            CancellationToken = http.RequestAborted,
        });
    }

    private static List<object?>? List(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (object?)v.ToUpperInvariant()).ToList();

    private static string H(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Label(string code) => code.Length == 0 ? code : char.ToUpperInvariant(code[0]) + code[1..].ToLowerInvariant().Replace('_', ' ');

    private static string Card(JsonNode edge)
    {
        var c = edge["node"]!;
        var name = (string)c["name"]!;
        var numbers = c["displayedNumbers"]!.AsArray();
        var phone = numbers.FirstOrDefault(p => (string?)p!["kind"] != "DIRECTORY_HOTLINE") ?? numbers.FirstOrDefault();
        var sponsorship = c["sponsorship"];
        var html = new StringBuilder("<li class=\"card\" aria-label=\"").Append(H(name)).Append("\"><h3>");
        html.Append(c["website"] is { } site ? $"<a href=\"{H((string)site!)}\" target=\"_blank\" rel=\"noopener\">{H(name)}</a>" : H(name));
        if (sponsorship is not null) html.Append("<span class=\"badge\">").Append(H((string?)sponsorship["label"])).Append("</span>");
        html.Append("</h3><p class=\"meta\">");
        if (edge["distance"]?["miles"] is { } miles) html.Append(((double)miles).ToString("0.0", CultureInfo.InvariantCulture)).Append(" mi · ");
        html.Append(H((string?)c["address"]!["city"])).Append(", ").Append(H((string?)c["address"]!["state"])).Append("</p><dl>");
        var programs = c["programs"]!.AsArray();
        var tracks = programs.SelectMany(p => p!["tracks"]!.AsArray()).Select(t => Label((string)t!["kind"]!) + ": " + string.Join("; ",
                t!["sessions"]!.AsArray().GroupBy(s => $"{s!["startsAt"]}–{s!["endsAt"]}")
                    .Select(g => string.Join(", ", g.Select(s => Label((string)s!["weekday"]!)[..3]).Distinct()) + " " + g.Key)))
            .Distinct();
        Fact(html, "Tracks", string.Join(" · ", tracks));
        Fact(html, "Insurance", string.Join(", ", c["payment"]!["payerTypes"]!.AsArray().Select(p => Label((string)p!))));
        Fact(html, "Services", string.Join(", ", programs.SelectMany(p => p!["services"]!.AsArray()).Select(s => (string)s!["label"]!).Distinct().Take(6)));
        html.Append("</dl>");
        if (phone is not null)
        {
            html.Append($"<a class=\"call\" href=\"tel:{H((string?)phone["number"])}\" aria-label=\"Call {H(name)} at {H((string?)phone["display"])}\">Call {H((string?)phone["display"])}</a>");
            html.Append("<p class=\"note disclosure\">").Append(H((string?)phone["disclosure"] ?? $"Calls to this number ring {name} directly.")).Append("</p>");
        }
        if (sponsorship is not null) html.Append("<p class=\"note\">").Append(H((string?)sponsorship["disclosure"])).Append("</p>");
        return html.Append("</li>").ToString();
    }

    private static void Fact(StringBuilder html, string term, string value)
    {
        if (value.Length > 0) html.Append("<dt>").Append(term).Append("</dt><dd>").Append(H(value)).Append("</dd>");
    }

    private static string Page(string body) => $$"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Treatment programs</title><style>
        body{margin:8px;font-family:system-ui,sans-serif;color:#1b1b1b;line-height:1.4}ul{list-style:none;margin:0;padding:0}
        .list{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,280px),1fr))}
        .card{border:1px solid #c9d1d9;border-radius:8px;padding:12px 14px;display:flex;flex-direction:column;gap:6px}
        h3{font-size:1.05em;margin:0}a{color:#0b57a4}.meta,.note{color:#4a5560;font-size:.9em;margin:0}
        .badge{background:#fff4ce;color:#5c4400;border:1px solid #b38f00;border-radius:4px;font-size:.75em;font-weight:600;padding:0 6px;margin-left:6px}
        dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 8px;font-size:.9em}dt{font-weight:600}dd{margin:0}
        .call{display:inline-block;background:#0b57a4;color:#fff;border-radius:6px;padding:8px 12px;font-weight:600;text-decoration:none}
        .call:focus-visible,a:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
        </style></head><body>{{body}}</body></html>
        """;

    /// <summary>A partner's page as it would embed the widget (development only): /embed/v1/demo?key=KEY&amp;zip=85251.</summary>
    private static IResult DemoPage(HttpContext http)
    {
        var key = H(http.Request.Query["key"].FirstOrDefault() ?? "");
        var zip = H(http.Request.Query["zip"].FirstOrDefault() ?? "85251");
        var hint = key.Length == 0
            ? "<p><strong>No key:</strong> create one with <code>dotnet run --project src/IopDirectory.Api -- partner create --name Demo --origin http://localhost:5080</code> and open this page with <code>?key=KEY</code>.</p>"
            : "";
        return Results.Content($$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Recovery Times: find an evening IOP</title>
            <style>body{font-family:Georgia,serif;max-width:960px;margin:24px auto;padding:0 16px}#programs{--iop-accent:#7a2e8c;--iop-radius:12px}</style></head>
            <body><h1>Recovery Times</h1><p>Evening intensive outpatient programs near {{zip}} that take Medicaid.</p>{{hint}}
            <script src="/embed/v1/widget.js" async></script>
            <div id="programs" data-iop-partner="{{key}}" data-near-zip="{{zip}}" data-tracks="EVENING" data-insurance="MEDICAID"></div>
            </body></html>
            """, "text/html; charset=utf-8");
    }
}
