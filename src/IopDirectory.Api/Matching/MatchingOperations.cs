using GraphQL;
using GraphQL.Types;
using IopDirectory.Auth;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.GraphQL;
using IopDirectory.Programs;
using IopDirectory.Search;

namespace IopDirectory.Matching;

public sealed class HardRequirementType : EnumerationGraphType<HardRequirement>
{
    public HardRequirementType()
    {
        Name = "HardRequirement";
        Description = "A need that excludes a program and track when it is not met.";
        Values["INSURANCE"]!.Description = "The centre accepts the payer type and is in network with the carrier, when given.";
        Values["SCHEDULE"]!.Description = "The track is of a kind the caller can attend and every session fits inside one availability window.";
        Values["AGE"]!.Description = "The program serves the caller's age.";
        Values["DISTANCE"]!.Description = "The caller can reach the program: in person within maxDistance, or by telehealth when telehealthOk "
            + "(within maxDistance or inside the centre's service area). Dropped, it means travelling up to 500 km.";
    }
}

public sealed class CallerLocationSourceType : EnumerationGraphType<CallerLocationSource>
{
    public CallerLocationSourceType()
    {
        Name = "CallerLocationSource";
        Description = "What the caller's location came from.";
        Values["POINT"]!.Description = "A point given by the operator.";
        Values["ZIP"]!.Description = "A ZIP code's centroid.";
        Values["AREA_CODE"]!.Description = "A phone area code, placed at the city libphonenumber's offline geocoder names for it (coarse).";
    }
}

public sealed class CallerOriginType : ObjectGraphType<CallerOrigin>
{
    public CallerOriginType()
    {
        Name = "CallerOrigin";
        Description = "Where the caller was placed: distances are measured from here.";
        Field(o => o.Latitude).Description("Latitude in degrees (WGS 84).");
        Field(o => o.Longitude).Description("Longitude in degrees (WGS 84).");
        Field<NonNullGraphType<CallerLocationSourceType>>("source").Description("What the location came from.").Resolve(c => c.Source.Source);
        Field(o => o.Description).Description("Human description, e.g. \"ZIP 85004 (Phoenix, AZ)\" or \"Phoenix, AZ (area code 602)\".");
    }
}

public sealed class MatchReasonType : ObjectGraphType<MatchReason>
{
    public MatchReasonType()
    {
        Name = "MatchReason";
        Description = "A need met (in `reasons`) or not met (in `gaps`), with a stable code and a sentence to read to the caller.";
        Field(r => r.Code).Description("Stable code: INSURANCE, SCHEDULE, AGE, DISTANCE, TELEHEALTH, SERVICE_<service code>, POPULATION_<population>, "
            + "LANGUAGE, CONDITION_<condition>, ACCEPTING_NEW_PATIENTS / NOT_ACCEPTING_NEW_PATIENTS, INTAKE_OPEN / INTAKE_CLOSED / NO_ROUTED_LINE, STEP_DOWN.");
        Field(r => r.Message).Description("A human sentence.");
        Field(r => r.Points).Description("Points added to the score (0 for gaps and for hard requirements, except distance bands).");
        Field(r => r.HardRequirement).Description("True for a hard requirement (met by every match), false for a preference.");
    }
}

public sealed class CallerMatchType : ObjectGraphType<CallerMatch>
{
    public CallerMatchType()
    {
        Name = "CallerMatch";
        Description = "A program and track that meets every hard requirement, with its score, reasons, gaps and the number to transfer to.";
        Field(m => m.Rank).Description("1 for the best match.");
        Field<NonNullGraphType<CenterType>>("center").Description("The centre (its `sponsorship` discloses a paid placement; it never changes the score or order).")
            .Resolve(c => c.Source.Center);
        Field<NonNullGraphType<IopProgramType>>("program").Description("The program that fits.").Resolve(c => c.Source.Program);
        Field<NonNullGraphType<TrackType>>("track").Description("The track that fits.").Resolve(c => c.Source.Track);
        Field<NonNullGraphType<DistanceType>>("distance").Description("From the caller to the centre.").Resolve(c => new Distance(c.Source.Meters));
        Field(m => m.ViaTelehealth).Description("True when the caller would attend by telehealth (out of reach in person).");
        Field(m => m.IntakeAnsweredNow).Description("Whether the centre's own intake answers at `at` (24/7 or inside its hours; an after-hours fallback does not count).");
        Field<NonNullGraphType<BooleanGraphType>>("acceptingNewPatients").Description("Whether the centre takes new patients.")
            .Resolve(c => c.Source.Center.AcceptingNewPatients);
        Field(m => m.Score).Description("The score (see the scoring table in src/IopDirectory.Api/Matching/README.md); the sum of the reasons' points.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MatchReasonType>>>>("reasons").Description("Each need met: hard requirements first, then preferences.")
            .Resolve(c => c.Source.Reasons);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MatchReasonType>>>>("gaps").Description("Each preference not met.")
            .Resolve(c => c.Source.Gaps);
        Field<RouteDecisionType>("transfer")
            .Description("Where to transfer the call at `at`: the centre's facility line resolved through its routing rules. Null when the listing has no routed line (gap NO_ROUTED_LINE).")
            .Resolve(c => c.Source.Transfer);
    }
}

public sealed class ExcludedCandidateType : ObjectGraphType<ExcludedCandidate>
{
    public ExcludedCandidateType()
    {
        Name = "ExcludedCandidate";
        Description = "A centre near the caller that has no match: its closest program and track and the hard requirements that one misses.";
        Field<NonNullGraphType<CenterType>>("center").Description("The centre.").Resolve(c => c.Source.Center);
        Field<NonNullGraphType<IopProgramType>>("program").Description("Its program that misses the fewest hard requirements.").Resolve(c => c.Source.Program);
        Field<NonNullGraphType<TrackType>>("track").Description("That program's track that misses the fewest.").Resolve(c => c.Source.Track);
        Field<NonNullGraphType<DistanceType>>("distance").Description("From the caller to the centre.").Resolve(c => new Distance(c.Source.Meters));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HardRequirementType>>>>("failed").Description("The hard requirements missed.")
            .Resolve(c => c.Source.Failed);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MatchReasonType>>>>("reasons").Description("Why, one sentence per requirement missed.")
            .Resolve(c => c.Source.Reasons);
    }
}

public sealed class RelaxSuggestionType : ObjectGraphType<RelaxSuggestion>
{
    public RelaxSuggestionType()
    {
        Name = "RelaxSuggestion";
        Description = "What dropping one hard requirement would give, counted over the same candidates (no extra query).";
        Field<NonNullGraphType<HardRequirementType>>("drop").Description("The requirement dropped.").Resolve(c => c.Source.Drop);
        Field(s => s.Matches).Description("Matches (program and track) there would be, including today's.");
        Field(s => s.Centers).Description("Distinct centres among them.");
        Field<DistanceType>("nearest").Description("The nearest of them; null when there are none.")
            .Resolve(c => c.Source.NearestMeters is { } m ? new Distance(m) : null);
    }
}

public sealed class CallerMatchResultType : ObjectGraphType<CallerMatchResult>
{
    public const int MaxExcluded = 50;

    public CallerMatchResultType()
    {
        Name = "CallerMatchResult";
        Description = "Ranked matches for a caller, with relax suggestions and the near misses.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CallerMatchType>>>>("matches")
            .Description("Best first: score, then distance, centre and program. Paid placement never changes a score or the order.")
            .Resolve(c => c.Source.Matches);
        Field(r => r.TotalMatches).Description("Matches in all (before `first`).");
        Field(r => r.MatchedCenters).Description("Distinct centres with at least one match.");
        Field<NonNullGraphType<CallerOriginType>>("origin").Description("Where the caller was placed.").Resolve(c => c.Source.Origin);
        Field<NonNullGraphType<DistanceType>>("maxDistance").Description("The travel limit applied.").Resolve(c => new Distance(c.Source.MaxDistance.Meters));
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Description("The moment matched for (UTC).").Resolve(c => c.Source.At.ToDateTimeOffset());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RelaxSuggestionType>>>>("relaxSuggestions")
            .Description("For each hard requirement given (distance always is), the matches there would be without it; most first.")
            .Resolve(c => c.Source.RelaxSuggestions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExcludedCandidateType>>>>("excluded")
            .Description("Candidate centres with no match, fewest misses then nearest first, each with its closest program and track. "
                + "Candidates are the nearest centres missing at most one of the centre-level requirements (distance, insurance, track kinds): "
                + "a centre missing several is not listed.")
            .Argument<IntGraphType>("first", $"How many, 0 to {MaxExcluded} (default 10).")
            .Resolve(c =>
            {
                var first = c.GetArgument<int?>("first") ?? 10;
                if (first is < 0 or > MaxExcluded)
                    throw Errors.BadUserInput($"`first` must be between 0 and {MaxExcluded} (got {first}).", "first");
                return c.Source.Excluded.Take(first);
            });
        Field(r => r.CandidatesConsidered).Description($"Candidate centres evaluated: at most the {CallerMatcher.CandidateCap} nearest (of the {CallerMatcher.ScanLimit:N0} nearest scanned), plus as many telehealth ones.");
        Field(r => r.CandidateCapReached).Description($"True when the {CallerMatcher.CandidateCap}-centre cap was reached: farther centres were not considered.");
    }
}

public static class MatchingOperations
{
    public static void AddMatchingQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<CallerMatchResultType>>("matchCaller")
            .Description("Hotline operators (HOTLINE): programs and tracks that fit a caller, ranked, with reasons, gaps and the number to "
                + "transfer to under the routing rules at `at`. Hard requirements (insurance, schedule, age, distance) exclude; "
                + "preferences rank; paid placement never does. The scoring table is in src/IopDirectory.Api/Matching/README.md.")
            .Argument<NonNullGraphType<CallerNeedsInputType>>("input", "What the operator learned on the call.")
            .RequireRoles(Roles.Hotline)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<CallerMatcher>()
                .MatchAsync(c.GetArgument<CallerNeeds>("input"), c.CancellationToken));
    }

    public static IServiceCollection AddMatching(this IServiceCollection services)
    {
        services.AddScoped<CallerMatcher>();
        services.AddSingleton<AreaCodeLocator>();
        return services;
    }
}
