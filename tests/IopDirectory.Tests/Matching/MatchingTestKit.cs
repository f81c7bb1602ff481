using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Matching;

/// <summary>Runs matchCaller and turns its answer into short lines that read like the expectations.</summary>
public static class MatchingTestKit
{
    /// <summary>Fixed instants (Arizona keeps UTC-7 all year; 2026-03-08 was the US daylight-saving change elsewhere).</summary>
    public const string TuesdayAt10 = "2026-03-10T17:00:00Z";
    public const string TuesdayAt1930 = "2026-03-11T02:30:00Z";
    public const string TuesdayAt3 = "2026-03-10T10:00:00Z";
    public const string SaturdayAt11 = "2026-03-14T18:00:00Z";

    public static object Hub => new { latitude = PhoenixMetro.HubLatitude, longitude = PhoenixMetro.HubLongitude };

    public const string Selection = """
        totalMatches matchedCenters candidatesConsidered candidateCapReached at
        origin { latitude longitude source description }
        maxDistance { meters miles }
        matches {
          rank score viaTelehealth intakeAnsweredNow acceptingNewPatients
          center { name sponsorship { label disclosure } }
          program { name }
          track { kind }
          distance { meters miles }
          reasons { code message points hardRequirement }
          gaps { code message points hardRequirement }
          transfer { number destinationNumber rule answered afterHoursLabel disclosure isPaidPlacement localTime }
        }
        relaxSuggestions { drop matches centers nearest { miles } }
        excluded(first: 50) { center { name } program { name } track { kind } distance { miles } failed reasons { code message } }
        """;

    private static readonly ConcurrentDictionary<string, Lazy<ApiFactory>> Apis = new();

    /// <summary>One in-memory API per database for the run (starting a host costs more than a query).</summary>
    public static ApiFactory Api(string connectionString) =>
        Apis.GetOrAdd(connectionString, key => new Lazy<ApiFactory>(() => new ApiFactory(key))).Value;

    public static async Task<JsonNode> MatchAsync(ApiFactory api, object input, string selection = Selection)
    {
        var body = await api.GraphQLAsync($"query($input: CallerNeedsInput!) {{ matchCaller(input: $input) {{ {selection} }} }}",
            new { input }, token: api.TokenFor("HOTLINE"));
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!["matchCaller"]!;
    }

    /// <summary>"C02 Teen Evening IOP/EVENING 45 | DISTANCE+15 INSURANCE ... | gaps | +16025550102 BUSINESS_HOURS".</summary>
    public static List<string> Matches(JsonNode result) => result["matches"]!.AsArray().Select(m =>
    {
        var reasons = string.Join(" ", m!["reasons"]!.AsArray().Select(r => (int)r!["points"]! > 0 ? $"{r["code"]}+{r["points"]}" : (string)r["code"]!));
        var gaps = m["gaps"]!.AsArray().Select(g => (string)g!["code"]!).ToList();
        var transfer = m["transfer"] is JsonNode t ? $"{t["destinationNumber"]} {t["rule"]}" : "no transfer";
        return $"{Key(m)} {m["program"]!["name"]}/{m["track"]!["kind"]} {m["score"]} | {reasons} | {(gaps.Count == 0 ? "-" : string.Join(" ", gaps))} | {transfer}";
    }).ToList();

    /// <summary>"AGE 10 10 0.75": requirement dropped, matches, centres, nearest miles.</summary>
    public static List<string> Relax(JsonNode result) => result["relaxSuggestions"]!.AsArray().Select(s =>
        $"{s!["drop"]} {s["matches"]} {s["centers"]} {(s["nearest"] is JsonNode n ? ((double)n["miles"]!).ToString("0.00", CultureInfo.InvariantCulture) : "-")}").ToList();

    /// <summary>"C01 Adult Evening IOP/EVENING AGE".</summary>
    public static List<string> Excluded(JsonNode result) => result["excluded"]!.AsArray().Select(e =>
        $"{Key(e!)} {e!["program"]!["name"]}/{e["track"]!["kind"]} {string.Join("+", e["failed"]!.AsArray().Select(f => (string)f!))}").ToList();

    public static string Key(JsonNode withCenter) => PhoenixMetro.KeyOf((string)withCenter["center"]!["name"]!);

    public static JsonNode MatchOf(JsonNode result, string key, string? program = null) =>
        result["matches"]!.AsArray().First(m => Key(m!) == key && (program is null || (string)m!["program"]!["name"]! == program))!;

    public static JsonNode ExcludedOf(JsonNode result, string key) => result["excluded"]!.AsArray().First(e => Key(e!) == key)!;

    public static string Message(JsonNode reasons, string code) =>
        (string)reasons.AsArray().Single(r => (string)r!["code"]! == code)!["message"]!;
}
