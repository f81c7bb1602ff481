using System.Globalization;
using GraphQL.Types;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using NpgsqlTypes;

namespace IopDirectory.Search;

/// <summary>The facets a search reports counts for; each is computed without its own filter.</summary>
public enum Facet
{
    Services,
    Tracks,
    PayerTypes,
    Populations,
    LevelsOfCare,
}

/// <summary>A weekly session the visitor can attend.</summary>
public sealed record ScheduleFilter(List<DayOfWeek>? Weekdays, string? StartsAtOrAfter, string? EndsAtOrBefore, TrackKind? Track);

/// <summary>
/// What centres must offer. Lists are any-of, except <see cref="Services"/> (all-of). Program-level
/// facts (services, tracks) match when any of the centre's programs has them.
/// </summary>
public sealed record CenterFilter(
    string? State = null,
    List<LevelOfCare>? LevelsOfCare = null,
    List<string>? Services = null,
    List<string>? AnyServices = null,
    List<TrackKind>? Tracks = null,
    ScheduleFilter? Schedule = null,
    bool? OpenNow = null,
    DateTimeOffset? OpenAt = null,
    List<PayerType>? PayerTypes = null,
    List<string>? Carriers = null,
    List<Population>? Populations = null,
    int? Age = null,
    List<Condition>? Conditions = null,
    List<string>? Languages = null,
    List<Accreditation>? Accreditations = null,
    bool? AcceptingNewPatients = null,
    bool? Telehealth = null,
    int? VerifiedWithinDays = null,
    bool? Stale = null)
{
    /// <summary>Checks every value before any SQL is built; throws BAD_USER_INPUT naming the argument.</summary>
    public void Check(string argument = "filter")
    {
        if (State is not null && !Rules.UsStates.Contains(State.ToUpperInvariant()))
            throw Errors.BadUserInput($"'{State}' is not a US state or territory code.", $"{argument}.state");
        foreach (var code in (Services ?? []).Concat(AnyServices ?? []))
            if (!ServiceCatalog.Exists(code))
                throw Errors.BadUserInput($"'{code}' is not a service code; see taxonomy.services.", $"{argument}.services");
        foreach (var code in Carriers ?? [])
            if (!Insurance.Carriers.All.ContainsKey(code))
                throw Errors.BadUserInput($"'{code}' is not a carrier code; see taxonomy.carriers.", $"{argument}.carriers");
        foreach (var code in Languages ?? [])
            if (!Taxonomy.Languages.All.ContainsKey(code))
                throw Errors.BadUserInput($"'{code}' is not a language code; see taxonomy.languages.", $"{argument}.languages");
        if (Age is < 0 or > 120)
            throw Errors.BadUserInput($"Age must be between 0 and 120 (got {Age}).", $"{argument}.age");
        if (VerifiedWithinDays is < 1 or > 36500)
            throw Errors.BadUserInput($"verifiedWithinDays must be between 1 and 36500 (got {VerifiedWithinDays}).", $"{argument}.verifiedWithinDays");
        if (Schedule is { } schedule)
        {
            ParseTime(schedule.StartsAtOrAfter, $"{argument}.schedule.startsAtOrAfter");
            ParseTime(schedule.EndsAtOrBefore, $"{argument}.schedule.endsAtOrBefore");
        }
    }

    /// <summary>
    /// Appends this filter's clauses (alias <c>c</c> is the centres table) for which
    /// <paramref name="include"/> says yes: it is given the facet a clause belongs to, or null.
    /// </summary>
    public void AppendTo(SqlWhere where, TimeProvider clock, Func<Facet?, bool>? include = null)
    {
        include ??= _ => true;
        if (include(Facet.LevelsOfCare) && LevelsOfCare is { Count: > 0 })
            where.Add($"c.levels_of_care && {where.TextArray(LevelsOfCare.Select(l => l.ToString()))}");
        if (include(Facet.Services))
        {
            if (Services is { Count: > 0 }) where.Add($"c.search_services @> {where.TextArray(Services)}");
            if (AnyServices is { Count: > 0 }) where.Add($"c.search_services && {where.TextArray(AnyServices)}");
        }
        if (include(Facet.Tracks) && Tracks is { Count: > 0 })
            where.Add($"c.search_tracks && {where.TextArray(Tracks.Select(t => t.ToString()))}");
        if (include(Facet.PayerTypes) && PayerTypes is { Count: > 0 })
            where.Add($"c.payer_types && {where.TextArray(PayerTypes.Select(p => p.ToString()))}");
        if (include(Facet.Populations) && Populations is { Count: > 0 })
            where.Add($"c.populations && {where.TextArray(Populations.Select(p => p.ToString()))}");
        if (!include(null)) return;

        if (State is not null) where.Add($"c.state = {where.Parameter(State.ToUpperInvariant())}");
        if (Carriers is { Count: > 0 }) where.Add($"c.search_carriers && {where.TextArray(Carriers)}");
        if (Conditions is { Count: > 0 }) where.Add($"c.conditions && {where.TextArray(Conditions.Select(x => x.ToString()))}");
        if (Languages is { Count: > 0 }) where.Add($"c.languages && {where.TextArray(Languages)}");
        if (Accreditations is { Count: > 0 }) where.Add($"c.accreditations && {where.TextArray(Accreditations.Select(a => a.ToString()))}");
        if (AcceptingNewPatients is { } accepting) where.Add($"c.accepting_new_patients = {where.Parameter(accepting)}");
        if (Age is { } age)
        {
            var years = where.Parameter(age);
            where.Add($"EXISTS (SELECT 1 FROM programs p WHERE p.center_id = c.id AND coalesce(p.min_age, 0) <= {years} AND coalesce(p.max_age, 200) >= {years})");
        }
        if (Telehealth is { } telehealth)
            where.Add($"{(telehealth ? "" : "NOT ")}EXISTS (SELECT 1 FROM programs p WHERE p.center_id = c.id AND p.telehealth)");
        if (VerifiedWithinDays is { } days)
            where.Add($"c.last_verified_at >= {where.Parameter(clock.GetUtcNow().AddDays(-days), NpgsqlDbType.TimestampTz)}");
        if (Stale is { } stale)
        {
            var cutoff = where.Parameter(Editing.Freshness.StaleCutoff(clock), NpgsqlDbType.TimestampTz);
            where.Add(stale ? $"c.last_verified_at IS NULL OR c.last_verified_at < {cutoff}" : $"c.last_verified_at >= {cutoff}");
        }
        if (OpenAt is { } at)
            where.Add($"center_answers_at(c.id, {where.Parameter(at.ToUniversalTime(), NpgsqlDbType.TimestampTz)})");
        else if (OpenNow is { } open)
            where.Add($"{(open ? "" : "NOT ")}center_answers_at(c.id, {where.Parameter(clock.GetUtcNow(), NpgsqlDbType.TimestampTz)})");
        if (Schedule is { } schedule) AppendSchedule(where, schedule);
    }

    private static void AppendSchedule(SqlWhere where, ScheduleFilter schedule)
    {
        var conditions = new List<string> { "p.center_id = c.id" };
        if (schedule.Weekdays is { Count: > 0 } days) conditions.Add($"s.weekday = ANY ({where.TextArray(days.Select(d => d.ToString()))})");
        if (ParseTime(schedule.StartsAtOrAfter, "") is { } start) conditions.Add($"s.starts_at >= {where.Parameter(start, NpgsqlDbType.Time)}");
        if (ParseTime(schedule.EndsAtOrBefore, "") is { } end) conditions.Add($"s.ends_at <= {where.Parameter(end, NpgsqlDbType.Time)}");
        if (schedule.Track is { } track) conditions.Add($"t.kind = {where.Parameter(track.ToString())}");
        where.Add("EXISTS (SELECT 1 FROM programs p JOIN tracks t ON t.program_id = p.id JOIN track_sessions s ON s.track_id = t.id WHERE "
            + string.Join(" AND ", conditions) + ")");
    }

    private static TimeOnly? ParseTime(string? value, string argument)
    {
        if (value is null) return null;
        if (TimeOnly.TryParseExact(value, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time;
        throw Errors.BadUserInput($"'{value}' is not a time of day (HH:mm, e.g. 17:00).", argument);
    }
}

public sealed class ScheduleFilterInputType : InputObjectGraphType<ScheduleFilter>
{
    public ScheduleFilterInputType()
    {
        Name = "ScheduleFilter";
        Description = "A weekly session the person can attend: one session must meet every condition given. Times are the centre's local time.";
        Field<ListGraphType<NonNullGraphType<DayOfWeekType>>>("weekdays").Description("On any of these days.");
        Field(f => f.StartsAtOrAfter, nullable: true).Description("Starting at or after this local time, HH:mm (e.g. 17:00).");
        Field(f => f.EndsAtOrBefore, nullable: true).Description("Ending at or before this local time, HH:mm.");
        Field<TrackKindType>("track").Description("In a track of this kind.");
    }
}

public sealed class CenterFilterInputType : InputObjectGraphType<CenterFilter>
{
    public CenterFilterInputType()
    {
        Name = "CenterFilter";
        Description = "What centres must offer. Lists are any-of, except `services`, which is all-of. "
            + "Program facts (services, tracks, schedule, age, telehealth) match when any of the centre's programs has them.";
        Field(f => f.State, nullable: true).Description("USPS state or territory code, e.g. AZ.");
        Field<ListGraphType<NonNullGraphType<LevelOfCareType>>>("levelsOfCare").Description("Offers any of these levels of care.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("services").Description("Offers every one of these service codes (all-of).");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("anyServices").Description("Offers at least one of these service codes (any-of).");
        Field<ListGraphType<NonNullGraphType<TrackKindType>>>("tracks").Description("Runs a program with any of these tracks.");
        Field<ScheduleFilterInputType>("schedule").Description("Has a weekly session that fits, e.g. Tuesdays starting at or after 17:00.");
        Field(f => f.OpenNow, nullable: true).Description("The centre's own line is answered now, in its time zone (false: not answered now).");
        Field<DateTimeOffsetGraphType>("openAt").Description("The centre's own line is answered at this instant (overrides openNow).");
        Field<ListGraphType<NonNullGraphType<PayerTypeType>>>("payerTypes").Description("Accepts any of these payer types.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("carriers").Description("In network with any of these carriers (codes from taxonomy.carriers).");
        Field<ListGraphType<NonNullGraphType<PopulationType>>>("populations").Description("Serves any of these populations.");
        Field(f => f.Age, nullable: true).Description("Runs a program that serves this age.");
        Field<ListGraphType<NonNullGraphType<ConditionType>>>("conditions").Description("Treats any of these conditions.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("languages").Description("Offers services in any of these languages (ISO 639 codes).");
        Field<ListGraphType<NonNullGraphType<AccreditationType>>>("accreditations").Description("Holds any of these accreditations.");
        Field(f => f.AcceptingNewPatients, nullable: true).Description("Only centres that are (or are not) accepting new patients.");
        Field(f => f.Telehealth, nullable: true).Description("Runs a program offered by telehealth (false: none is).");
        Field(f => f.VerifiedWithinDays, nullable: true).Description("Verified with the centre within this many days.");
        Field(f => f.Stale, nullable: true).Description("true: only listings never verified or verified longer ago than the staleness limit "
            + "(`verification.stale`); false: only fresh ones.");
    }
}
