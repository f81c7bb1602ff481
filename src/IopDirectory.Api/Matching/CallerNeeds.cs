using GraphQL.Types;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Search;
using IopDirectory.Taxonomy;

namespace IopDirectory.Matching;

/// <summary>A weekly window in which the caller can attend sessions, in the centre's local time.</summary>
public sealed record AvailabilityWindow(DayOfWeek Weekday, string From, string Until);

/// <summary>What a hotline operator learns on a call. Hard requirements exclude; preferences rank.</summary>
public sealed record CallerNeeds(
    GeoPointInput? Near = null,
    string? Zip = null,
    string? AreaCode = null,
    DistanceInput? MaxDistance = null,
    bool? TelehealthOk = null,
    PayerType? PayerType = null,
    string? Carrier = null,
    List<TrackKind>? Schedules = null,
    List<AvailabilityWindow>? Availability = null,
    List<string>? Services = null,
    int? Age = null,
    List<Population>? Populations = null,
    string? Language = null,
    List<Condition>? Conditions = null,
    bool? SteppingDownFromResidential = null,
    DateTimeOffset? At = null,
    int? First = null);

public sealed class AvailabilityWindowInputType : InputObjectGraphType<AvailabilityWindow>
{
    public AvailabilityWindowInputType()
    {
        Name = "AvailabilityWindowInput";
        Description = "A weekly window the caller can attend, in the centre's local time. Every session of a track must fit inside one window.";
        Field<NonNullGraphType<DayOfWeekType>>("weekday").Description("The day of the week.");
        Field(w => w.From).Description("From this local time, HH:mm (e.g. 17:30).");
        Field(w => w.Until).Description("Until this local time, HH:mm (e.g. 21:00); after `from`.");
    }
}

public sealed class CallerNeedsInputType : InputObjectGraphType<CallerNeeds>
{
    public CallerNeedsInputType()
    {
        Name = "CallerNeedsInput";
        Description = "What the operator learned on the call. Give exactly one of `near`, `zip` or `areaCode`. "
            + "Hard requirements (insurance, schedule, age, distance) exclude a program and track; preferences "
            + "(services, populations, language, conditions, step-down) only rank. See the scoring table in src/IopDirectory.Api/Matching/README.md.";
        Field<GeoPointInputType>("near").Description("Where the caller is, as a point.");
        Field(n => n.Zip, nullable: true).Description("The caller's ZIP code (its centroid is used), e.g. 85004.");
        Field(n => n.AreaCode, nullable: true)
            .Description("Last resort: the caller's phone area code (3 digits, e.g. 602), placed at the city libphonenumber's offline geocoder names for it.");
        Field<DistanceInputType>("maxDistance").Description($"How far the caller can travel (hard requirement): default {Distances.DefaultRadiusMiles} miles, at most 500 km.");
        Field(n => n.TelehealthOk, nullable: true)
            .Description("Telehealth is fine: programs offered by telehealth also qualify when the centre's service area covers the caller, at any distance.");
        Field<PayerTypeType>("payerType").Description("How the caller pays (hard requirement): the centre must accept it.");
        Field(n => n.Carrier, nullable: true).Description("The caller's insurance carrier, a code of taxonomy.carriers (hard requirement): the centre must be in network.");
        Field<ListGraphType<NonNullGraphType<TrackKindType>>>("schedules").Description("Track kinds the caller can attend (hard requirement).");
        Field<ListGraphType<NonNullGraphType<AvailabilityWindowInputType>>>("availability")
            .Description("When the caller can attend (hard requirement): every session of the track must fit inside one window.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("services").Description("Service codes the caller needs (preference), e.g. FAMILY_THERAPY.");
        Field(n => n.Age, nullable: true).Description("The caller's (or patient's) age (hard requirement): the program must serve it.");
        Field<ListGraphType<NonNullGraphType<PopulationType>>>("populations").Description("Populations the caller belongs to (preference).");
        Field(n => n.Language, nullable: true).Description("The language the caller needs, an ISO 639 code or its English name (preference).");
        Field<ListGraphType<NonNullGraphType<ConditionType>>>("conditions").Description("Conditions to treat, e.g. co-occurring depression (preference).");
        Field(n => n.SteppingDownFromResidential, nullable: true).Description("Stepping down from residential care (preference for step-down programs).");
        Field<DateTimeOffsetGraphType>("at").Description("The moment to match for (intake hours, transfer rules); default now.");
        Field(n => n.First, nullable: true).Description($"How many matches to return, 1 to {CallerMatcher.MaxFirst} (default {CallerMatcher.DefaultFirst}).");
    }
}
