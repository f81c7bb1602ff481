using GraphQL;
using GraphQL.Types;
using IopDirectory.Centers;
using IopDirectory.GraphQL;
using IopDirectory.Taxonomy;

namespace IopDirectory.Programs;

public sealed class IopProgramType : ObjectGraphType<IopProgram>
{
    public const string TypeName = "IopProgram";

    public IopProgramType()
    {
        Name = TypeName;
        Description = "An Intensive Outpatient Program (ASAM level 2.1) run by a centre.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is IopProgram;

        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(p => p.Name).Description("The program's name.");
        Field(p => p.Description, nullable: true).Description("What the program says about itself.");
        Field<NonNullGraphType<DecimalRangeType>>("hoursPerWeek").Description("Hours of therapy a week (IOPs: 9 or more).")
            .Resolve(c => new DecimalRange(c.Source.MinHoursPerWeek, c.Source.MaxHoursPerWeek));
        Field<NonNullGraphType<IntRangeType>>("daysPerWeek").Description("Days a week the patient attends.")
            .Resolve(c => new IntRange(c.Source.MinDaysPerWeek, c.Source.MaxDaysPerWeek));
        Field<NonNullGraphType<IntRangeType>>("durationWeeks").Description("Typical length in weeks; bounds may be unknown (null).")
            .Resolve(c => new IntRange(c.Source.MinDurationWeeks, c.Source.MaxDurationWeeks));
        Field(p => p.StepsDown).Description("Whether intensity tapers as milestones are met.");
        Field(p => p.Telehealth).Description("Whether sessions can be attended by video.");
        Field(p => p.InPerson).Description("Whether sessions are held on site.");
        Field<NonNullGraphType<IntRangeType>>("ageRange").Description("Ages served; open bounds are null.")
            .Resolve(c => new IntRange(c.Source.MinAge, c.Source.MaxAge));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ServiceType>>>>("services").Description("Services the program offers.")
            .Resolve(c => c.Source.ServiceCodes.Select(ServiceCatalog.Find).OfType<ServiceDefinition>());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrackType>>>>("tracks").Description("Day, evening and weekend schedules.")
            .Resolve(c => c.Source is Search.SearchPageProgram
                ? c.Source.Tracks
                : c.RequestServices!.GetRequiredService<CenterLoaders>().Tracks.Load(c.Source.Id));
    }
}

public sealed class TrackType : ObjectGraphType<Track>
{
    public TrackType()
    {
        Name = "Track";
        Description = "A schedule variant of a program, with its weekly sessions in the centre's local time.";
        Field<NonNullGraphType<TrackKindType>>("kind").Description("Day, evening or weekend.").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WeeklySessionType>>>>("sessions").Description("Weekly sessions, Monday first, then by start time.")
            .Resolve(c => c.Source.Sessions.OrderBy(s => ((int)s.Weekday + 6) % 7).ThenBy(s => s.StartsAt));
        Field<NonNullGraphType<FloatGraphType>>("hoursPerWeek").Description("Scheduled hours a week, summed from the sessions.")
            .Resolve(c => Math.Round(c.Source.Sessions.Sum(s => (s.EndsAt - s.StartsAt).TotalHours), 2));
    }
}

public sealed class WeeklySessionType : ObjectGraphType<TrackSession>
{
    public WeeklySessionType()
    {
        Name = "WeeklySession";
        Description = "A session held every week, in the centre's local time.";
        Field<NonNullGraphType<DayOfWeekType>>("weekday").Description("Day of the week.").Resolve(c => c.Source.Weekday);
        Field<NonNullGraphType<StringGraphType>>("startsAt").Description("Local start time, HH:mm.").Resolve(c => c.Source.StartsAt.ToString("HH:mm"));
        Field<NonNullGraphType<StringGraphType>>("endsAt").Description("Local end time, HH:mm.").Resolve(c => c.Source.EndsAt.ToString("HH:mm"));
    }
}

public sealed class DayOfWeekType : EnumerationGraphType<DayOfWeek>
{
    public DayOfWeekType()
    {
        Name = "Weekday";
        Description = "A day of the week.";
        foreach (var value in Values)
            value.Description = value.Value?.ToString();
    }
}

public sealed record IntRange(int? Min, int? Max);

public sealed record DecimalRange(decimal Min, decimal Max);

public sealed class IntRangeType : ObjectGraphType<IntRange>
{
    public IntRangeType()
    {
        Name = "IntRange";
        Description = "An inclusive range; a null bound is open or unknown.";
        Field(r => r.Min, nullable: true).Description("Lower bound.");
        Field(r => r.Max, nullable: true).Description("Upper bound.");
    }
}

public sealed class DecimalRangeType : ObjectGraphType<DecimalRange>
{
    public DecimalRangeType()
    {
        Name = "FloatRange";
        Description = "An inclusive range of numbers.";
        Field<NonNullGraphType<FloatGraphType>>("min").Description("Lower bound.").Resolve(c => (double)c.Source.Min);
        Field<NonNullGraphType<FloatGraphType>>("max").Description("Upper bound.").Resolve(c => (double)c.Source.Max);
    }
}
