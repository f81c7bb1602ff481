using System.Globalization;
using System.Text.RegularExpressions;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Geo;
using IopDirectory.GraphQL;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Search;
using IopDirectory.Taxonomy;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NodaTime;
using NpgsqlTypes;

namespace IopDirectory.Matching;

public enum CallerLocationSource
{
    Point,
    Zip,
    AreaCode,
}

/// <summary>Where the caller was placed, and from what.</summary>
public sealed record CallerOrigin(double Latitude, double Longitude, CallerLocationSource Source, string Description);

/// <summary>A program and track that meets every hard requirement, scored.</summary>
public sealed record CallerMatch(int Rank, Center Center, IopProgram Program, Track Track, double Meters, bool ViaTelehealth,
    RouteResolution? Transfer, int Score, IReadOnlyList<MatchReason> Reasons, IReadOnlyList<MatchReason> Gaps)
{
    /// <summary>The centre's own intake answers (24/7 or inside its hours); a fallback line does not count.</summary>
    public bool IntakeAnsweredNow => Transfer?.Rule is RoutingRule.AllHours or RoutingRule.BusinessHours;
}

/// <summary>A candidate centre with no match: its closest program and track and the hard requirements that fails.</summary>
public sealed record ExcludedCandidate(Center Center, IopProgram Program, Track Track, double Meters,
    IReadOnlyList<HardRequirement> Failed, IReadOnlyList<MatchReason> Reasons);

/// <summary>How many matches there would be with one hard requirement dropped.</summary>
public sealed record RelaxSuggestion(HardRequirement Drop, int Matches, int Centers, double? NearestMeters);

public sealed record CallerMatchResult(
    CallerOrigin Origin,
    DistanceInput MaxDistance,
    Instant At,
    IReadOnlyList<CallerMatch> Matches,
    int TotalMatches,
    int MatchedCenters,
    IReadOnlyList<RelaxSuggestion> RelaxSuggestions,
    IReadOnlyList<ExcludedCandidate> Excluded,
    int CandidatesConsidered,
    bool CandidateCapReached);

/// <summary>
/// Matches a caller to programs and tracks. SQL: one statement for the candidate centres (at most
/// <see cref="CandidateCap"/> nearest, plus as many whose telehealth service area covers the caller),
/// one for their programs, one for those programs' tracks with sessions, one for carrier networks (only
/// when a carrier is given) and one for the matched centres' facility lines with their hours: a fixed
/// number whatever the size of the directory or the page. Everything else (the exact per program and
/// track test, scores, relax suggestions) is computed in memory.
/// <para>
/// The candidate statement reuses the search's clauses (<see cref="SearchLocation"/> and
/// <see cref="CenterFilter"/>) as centre-level prefilters, and keeps centres that fail at most one
/// of them: that is what makes every relax suggestion exact over the same candidates without another
/// query.
/// </para>
/// </summary>
public sealed class CallerMatcher(DirectoryDbContext db, TimeProvider clock, ZipCentroids zips, AreaCodeLocator areaCodes)
{
    public const int CandidateCap = 500;
    public const int ScanLimit = 20_000;
    public const int MaxFirst = 20;
    public const int DefaultFirst = 5;
    public const int MaxWindows = 14;

    /// <summary>Dropping DISTANCE widens the search to the API's largest radius.</summary>
    public static readonly DistanceInput RelaxedDistance = new(500, DistanceUnit.Kilometers);

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public async Task<CallerMatchResult> MatchAsync(CallerNeeds input, CancellationToken cancellationToken)
    {
        var needs = Check(input);
        var candidates = await CandidatesAsync(needs, cancellationToken);
        var ids = candidates.Select(c => c.Center.Id).ToList();

        // Programs, then their tracks with sessions: two statements that carry no program columns per session row.
        var programs = ids.Count == 0 ? [] : await db.Programs.AsNoTracking()
            .Where(p => ids.Contains(p.CenterId))
            .ToListAsync(cancellationToken);
        var programIds = programs.Select(p => p.Id).ToList();
        var tracks = programIds.Count == 0 ? [] : await db.Tracks.AsNoTracking()
            .Where(t => programIds.Contains(t.ProgramId))
            .Include(t => t.Sessions)
            .ToListAsync(cancellationToken);
        var tracksByProgram = tracks.ToLookup(t => t.ProgramId);
        foreach (var program in programs) program.Tracks = tracksByProgram[program.Id].ToList();
        var programsByCenter = programs.OrderBy(p => p.Id).ToLookup(p => p.CenterId);

        HashSet<int> inNetwork = [];
        if (needs.Carrier is { } carrier && ids.Count > 0)
            inNetwork = (await db.InsurancePlans.AsNoTracking().Where(p => ids.Contains(p.CenterId) && p.CarrierCode == carrier)
                .Select(p => p.CenterId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        candidates = candidates.Select(c => c with { InCarrierNetwork = inNetwork.Contains(c.Center.Id) }).ToList();

        // Every program and track of every candidate, measured against the hard requirements twice:
        // with the caller's travel limit, and with the relaxed one (for the DISTANCE suggestion).
        var rows = (from candidate in candidates
                    from program in programsByCenter[candidate.Center.Id]
                    from track in program.Tracks.OrderBy(t => t.Kind).ThenBy(t => t.Id)
                    select new Row(candidate, program, track,
                        MatchScoring.Check(needs, candidate, program, track, needs.MaxMeters),
                        MatchScoring.Check(needs, candidate, program, track, Math.Max(needs.MaxMeters, RelaxedDistance.Meters)))).ToList();

        var matched = rows.Where(r => r.Misses == Misses.None).ToList();
        var matchedIds = matched.Select(r => r.Candidate.Center.Id).Distinct().ToList();
        var routes = matchedIds.Count == 0 ? [] : await db.CallRoutes.AsNoTracking().Include(r => r.Hours)
            .Where(r => r.CenterId != null && matchedIds.Contains(r.CenterId.Value) && r.Kind == DisplayedNumberKind.FacilityLine)
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken);
        var facilityLine = routes
            .Where(r => r.DestinationKind == RouteDestinationKind.Facility && r.DestinationCenterId == r.CenterId)
            .GroupBy(r => r.CenterId!.Value).ToDictionary(g => g.Key, g => g.First());

        var scored = matched.Select(r =>
        {
            var transfer = facilityLine.TryGetValue(r.Candidate.Center.Id, out var route) ? CallRouter.Resolve(route, needs.At) : null;
            var (reasons, gaps) = MatchScoring.Preferences(needs, r.Candidate.Center, r.Program, transfer);
            var hard = MatchScoring.Hard(needs, r.Candidate, r.Program, r.Track, needs.MaxMeters);
            var all = hard.Met.Concat(reasons).ToList();
            return new CallerMatch(0, r.Candidate.Center, r.Program, r.Track, r.Candidate.Meters, hard.ViaTelehealth, transfer,
                all.Sum(x => x.Points), all, gaps);
        })
            .OrderByDescending(m => m.Score).ThenBy(m => m.Meters).ThenBy(m => m.Center.Id).ThenBy(m => m.Program.Id)
            .ThenBy(m => m.Track.Kind).ThenBy(m => m.Track.Id)
            .ToList();

        var relax = needs.Given().Select(requirement =>
        {
            // Dropping DISTANCE means travelling as far as the relaxed distance (500 km).
            var fits = rows.Where(r => requirement == HardRequirement.Distance
                ? r.Relaxed == Misses.None
                : (r.Misses & ~Flag(requirement)) == Misses.None).ToList();
            return new RelaxSuggestion(requirement, fits.Count, fits.Select(r => r.Candidate.Center.Id).Distinct().Count(),
                fits.Count == 0 ? null : fits.Min(r => r.Candidate.Meters));
        })
            .OrderByDescending(s => s.Matches).ThenBy(s => s.Drop)
            .ToList();

        var matchedSet = matchedIds.ToHashSet();
        // The sentences are written for the ones that can be returned only.
        var excluded = rows.Where(r => !matchedSet.Contains(r.Candidate.Center.Id))
            .GroupBy(r => r.Candidate.Center.Id)
            .Select(g => g.OrderBy(r => r.MissCount).ThenBy(r => r.Program.Id).ThenBy(r => r.Track.Kind).ThenBy(r => r.Track.Id).First())
            .OrderBy(r => r.MissCount).ThenBy(r => r.Candidate.Meters).ThenBy(r => r.Candidate.Center.Id)
            .Take(CallerMatchResultType.MaxExcluded)
            .Select(r =>
            {
                var failed = MatchScoring.Hard(needs, r.Candidate, r.Program, r.Track, needs.MaxMeters).Failed;
                return new ExcludedCandidate(r.Candidate.Center, r.Program, r.Track, r.Candidate.Meters,
                    failed.Select(f => f.Requirement).ToList(), failed.Select(f => f.Reason).ToList());
            })
            .ToList();

        return new CallerMatchResult(
            needs.Described,
            needs.MaxDistance,
            needs.At,
            scored.Take(needs.First).Select((m, i) => m with { Rank = i + 1 }).ToList(),
            scored.Count,
            matchedIds.Count,
            relax,
            excluded,
            candidates.Count,
            candidates.Count >= CandidateCap);
    }

    /// <summary>A program and track of a candidate: what it misses with the caller's travel limit, and with the relaxed one.</summary>
    private sealed record Row(Candidate Candidate, IopProgram Program, Track Track, Misses Misses, Misses Relaxed)
    {
        public int MissCount => System.Numerics.BitOperations.PopCount((uint)Misses);
    }

    private static Misses Flag(HardRequirement requirement) => requirement switch
    {
        HardRequirement.Insurance => Misses.Insurance,
        HardRequirement.Schedule => Misses.Schedule,
        HardRequirement.Age => Misses.Age,
        _ => Misses.Distance,
    };

    /// <summary>
    /// The one candidate statement. Near: of the <see cref="ScanLimit"/> nearest centres (a KNN index
    /// scan that stops early), those within the relaxed distance that fail at most one of the
    /// centre-level hard requirements, nearest first, at most <see cref="CandidateCap"/>. Telehealth
    /// (when the caller accepts it): as many centres whose service area covers the caller and that run a
    /// telehealth program, on the same condition. The centre-level clauses are the search's own
    /// (<see cref="SearchLocation"/>, <see cref="CenterFilter"/>) on denormalised columns, each a
    /// necessary condition of its exact test in memory; age and availability windows, which need the
    /// programs, are left to memory (a correlated EXISTS per scanned row would cost more than it saves).
    /// </summary>
    private async Task<List<Candidate>> CandidatesAsync(Needs needs, CancellationToken cancellationToken)
    {
        var where = new SqlWhere();
        var point = new GeoPointInput(needs.Origin.Y, needs.Origin.X);

        var within = where.Group(w => SearchLocation.Resolve(point, null, null, needs.MaxDistance, null, null, null, zips).AppendTo(w));
        var others = new List<string>();
        if (needs.HasInsurance)
            others.Add(where.Group(w => new CenterFilter(
                PayerTypes: needs.Payer is { } payer ? [payer] : null,
                Carriers: needs.Carrier is { } carrier ? [carrier] : null).AppendTo(w, clock)));
        if (needs.Tracks is { } tracks)
            others.Add(where.Group(w => new CenterFilter(Tracks: tracks.Order().ToList()).AppendTo(w, clock)));

        // "Fails at most one": of n clauses, at least n - 1 hold.
        string AtMostOneMissed(IReadOnlyList<string> clauses) =>
            clauses.Count < 2 ? "TRUE"
            : $"({string.Join(" + ", clauses.Select(c => $"coalesce(({c}), false)::int"))}) >= {where.Parameter(clauses.Count - 1)}";
        var nearTolerance = AtMostOneMissed([within, .. others]);
        var origin = where.Parameter(needs.Origin, NpgsqlDbType.Geography);
        var relaxed = where.Parameter(RelaxedDistance.Meters);
        var scan = where.Parameter(ScanLimit);
        var cap = where.Parameter(CandidateCap);
        var nearest = $"""
            SELECT id FROM (
                SELECT c.id, c.location <-> {origin} AS meters, ({nearTolerance}) AS near_miss
                FROM centers c WHERE c.retired_at IS NULL ORDER BY c.location <-> {origin} LIMIT {scan}) scanned
            WHERE meters <= {relaxed} AND near_miss ORDER BY meters, id LIMIT {cap}
            """;
        string? telehealth = null;
        if (needs.TelehealthOk)
        {
            // Inside the service area the distance requirement is met (at centre level).
            var covers = where.Group(w =>
            {
                SearchLocation.Resolve(null, null, null, null, null, null, point, zips).AppendTo(w);
                new CenterFilter(Telehealth: true).AppendTo(w, clock);
            });
            telehealth = $"SELECT c.id FROM centers c WHERE c.retired_at IS NULL AND ({covers}) AND ({AtMostOneMissed(others)}) ORDER BY c.location <-> {origin}, c.id LIMIT {cap}";
        }
        var sql = $"""
            {PageChildrenSql.CenterSelect(db.Model)}
            FROM centers c
            WHERE c.id IN (({nearest}){(telehealth is null ? "" : $"\nUNION ({telehealth})")})
            """;

        var caller = needs.Origin;
        var telehealthOk = needs.TelehealthOk; // coverage only matters then (ST_Covers on geography is not cheap)
        var rows = await db.Centers.FromSqlRaw(sql, where.Parameters.ToArray<object>()).AsNoTracking()
            .Select(c => new CandidateRow
            {
                Center = c,
                Meters = EF.Functions.DistanceKnn(c.Location, caller),
                Covers = telehealthOk && c.ServiceArea != null && c.ServiceArea.Covers(caller),
            })
            .OrderBy(r => r.Meters).ThenBy(r => r.Center.Id)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new Candidate(r.Center, r.Meters, r.Covers, false)).ToList();
    }

    /// <summary>A candidate row (a class with init members: EF translates member access on those).</summary>
    private sealed class CandidateRow
    {
        public required Center Center { get; init; }
        public double Meters { get; init; }
        public bool Covers { get; init; }
    }

    private static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Checks and normalises the input; every problem is BAD_USER_INPUT naming the argument (input.zip...).</summary>
    public Needs Check(CallerNeeds input)
    {
        var given = new[] { input.Near is not null, input.Zip is not null, input.AreaCode is not null }.Count(x => x);
        if (given != 1)
            throw Errors.BadUserInput(given == 0
                ? "Say where the caller is: give near, zip or (as a last resort) areaCode."
                : "Give only one of near, zip or areaCode.", "input.near");

        CallerOrigin origin;
        if (input.Near is { } near)
        {
            if (!Rules.IsLatitude(near.Latitude))
                throw Errors.BadUserInput($"input.near.latitude must be between -90 and 90 (got {near.Latitude}).", "input.near.latitude");
            if (!Rules.IsLongitude(near.Longitude))
                throw Errors.BadUserInput($"input.near.longitude must be between -180 and 180 (got {near.Longitude}).", "input.near.longitude");
            origin = new CallerOrigin(near.Latitude, near.Longitude, CallerLocationSource.Point, "The point given");
        }
        else if (input.Zip is { } rawZip)
        {
            var zip = rawZip.Trim();
            if (!Regex.IsMatch(zip, @"^\d{5}(-\d{4})?$"))
                throw Errors.BadUserInput($"'{Truncate(rawZip)}' is not a ZIP code (5 digits, e.g. 85004).", "input.zip");
            var centroid = zips.FindZip(zip[..5]) ?? throw Errors.BadUserInput($"ZIP {zip[..5]} is not in the directory's ZIP table.", "input.zip");
            origin = new CallerOrigin(centroid.Latitude, centroid.Longitude, CallerLocationSource.Zip,
                $"ZIP {centroid.Zip} ({centroid.City}, {centroid.State})");
        }
        else
        {
            var raw = input.AreaCode!;
            var code = raw.Trim().Trim('(', ')');
            if (!AreaCodeLocator.IsAreaCode(code))
                throw Errors.BadUserInput($"'{Truncate(raw)}' is not an area code (3 digits, the first 2-9, e.g. 602).", "input.areaCode");
            var place = areaCodes.Find(code)
                ?? throw Errors.BadUserInput($"Area code {code} cannot be placed on a city (not a geographic US area code); ask for a ZIP code.", "input.areaCode");
            origin = new CallerOrigin(place.Latitude, place.Longitude, CallerLocationSource.AreaCode, $"{place.Description} (area code {code})");
        }

        var maxDistance = input.MaxDistance ?? new DistanceInput(Distances.DefaultRadiusMiles, DistanceUnit.Miles);
        if (!double.IsFinite(maxDistance.Value) || maxDistance.Value <= 0 || maxDistance.Meters > Distances.MaxRadiusMeters)
            throw Errors.BadUserInput($"maxDistance must be above 0 and at most 500 km (310.7 miles); got {maxDistance.Value} {maxDistance.Unit}.", "input.maxDistance");

        string? carrier = null;
        if (input.Carrier is { } rawCarrier)
        {
            carrier = Carriers.All.Keys.FirstOrDefault(k => string.Equals(k, rawCarrier.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? Carriers.All.FirstOrDefault(kv => string.Equals(kv.Value, rawCarrier.Trim(), StringComparison.OrdinalIgnoreCase)).Key
                ?? throw Errors.BadUserInput($"'{Truncate(rawCarrier)}' is not a carrier code; see taxonomy.carriers.", "input.carrier");
        }

        List<Window>? windows = null;
        if (input.Availability is { Count: > 0 } availability)
        {
            if (availability.Count > MaxWindows)
                throw Errors.BadUserInput($"At most {MaxWindows} availability windows.", "input.availability");
            windows = availability.Select((w, i) =>
            {
                var from = ParseTime(w.From, $"input.availability[{i}].from");
                var until = ParseTime(w.Until, $"input.availability[{i}].until");
                if (until <= from)
                    throw Errors.BadUserInput($"Availability window {i + 1} ends ({w.Until}) before it starts ({w.From}).", $"input.availability[{i}].until");
                return new Window(w.Weekday, from, until);
            }).ToList();
        }

        var services = new List<string>();
        foreach (var raw in input.Services ?? [])
        {
            var code = ServiceCatalog.All.FirstOrDefault(s => string.Equals(s.Code, raw.Trim(), StringComparison.OrdinalIgnoreCase))?.Code
                ?? throw Errors.BadUserInput($"'{Truncate(raw)}' is not a service code; see taxonomy.services.", "input.services");
            if (!services.Contains(code)) services.Add(code);
        }

        if (input.Age is < 0 or > 120)
            throw Errors.BadUserInput($"age must be between 0 and 120 (got {input.Age}).", "input.age");

        string? language = null;
        if (input.Language is { } rawLanguage)
        {
            var value = rawLanguage.Trim();
            language = Languages.All.FirstOrDefault(kv =>
                    string.Equals(kv.Key, value, StringComparison.OrdinalIgnoreCase) || string.Equals(kv.Value, value, StringComparison.OrdinalIgnoreCase)).Key
                ?? throw Errors.BadUserInput($"'{Truncate(rawLanguage)}' is not a language code or name; see taxonomy.languages.", "input.language");
        }

        var first = input.First ?? DefaultFirst;
        if (first is < 1 or > MaxFirst)
            throw Errors.BadUserInput($"first must be between 1 and {MaxFirst} (got {first}).", "input.first");

        return new Needs(
            Factory.CreatePoint(new Coordinate(origin.Longitude, origin.Latitude)),
            origin,
            maxDistance,
            input.TelehealthOk == true,
            input.PayerType,
            carrier,
            input.Schedules is { Count: > 0 } schedules ? schedules.ToHashSet() : null,
            windows,
            services,
            input.Age,
            (input.Populations ?? []).Distinct().ToList(),
            language,
            (input.Conditions ?? []).Distinct().ToList(),
            input.SteppingDownFromResidential == true,
            Instant.FromDateTimeOffset(input.At ?? clock.GetUtcNow()),
            first);
    }

    private static TimeOnly ParseTime(string value, string argument) =>
        TimeOnly.TryParseExact(value.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw Errors.BadUserInput($"'{Truncate(value)}' is not a time of day (HH:mm, e.g. 17:30).", argument);

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
