using IopDirectory.GraphQL;
using GraphQL.Types;
using IopDirectory.Data;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;

namespace IopDirectory.CallRouting;

public sealed class DisplayedNumberType : ObjectGraphType<CallRoute>
{
    public const string TypeName = "DisplayedNumber";

    public DisplayedNumberType()
    {
        Name = TypeName;
        Description = "A number shown on a listing, with where calls to it go and what the caller must be told.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Identifies the number for `saveCallRoute` and `removeCallRoute`.")
            .Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(r => r.Number).Description("The number shown, E.164: use it for tel: links.");
        Field<NonNullGraphType<StringGraphType>>("display").Description("Formatted for display.").Resolve(c => Rules.FormatNational(c.Source.Number));
        Field<NonNullGraphType<DisplayedNumberKindType>>("kind").Description("Facility line, tracking number or directory hotline.").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<RouteDestinationType>>("routesTo").Description("Who answers.").Resolve(c => c.Source);
        Field(r => r.AnsweredAllHours).Description("True when answered 24/7.");
        Field(r => r.AnswerTimeZone).Description("The answering party's IANA time zone, in which `hours` apply.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AnswerHoursType>>>>("hours").Description("Weekly answering hours (empty when 24/7).")
            .Resolve(c => c.Source.Hours.OrderBy(h => h.Weekday).ThenBy(h => h.OpensAt));
        Field(r => r.AfterHoursNumber, nullable: true).Description("Where calls go outside the hours, E.164.");
        Field(r => r.AfterHoursLabel, nullable: true).Description("Who answers after hours, e.g. 24/7 helpline.");
        Field(r => r.IsPaidPlacement).Description("True when the listing is a paid (sponsored) placement: show a label.");
        Field(r => r.Disclosure, nullable: true).Description("Text to show beside the number: who answers, and whether it is paid.");
        Field(r => r.CallbacksOffered).Description("Whether the answering party offers to call back.");
    }
}

public sealed class RouteDestinationType : ObjectGraphType<CallRoute>
{
    public RouteDestinationType()
    {
        Name = "RouteDestination";
        Description = "Who answers calls to a displayed number.";
        Field<NonNullGraphType<RouteDestinationKindType>>("kind").Description("A centre's intake line or a partner network.").Resolve(c => c.Source.DestinationKind);
        Field<IdGraphType>("centerId").Description("The centre that answers, when the destination is a facility.")
            .Resolve(c => c.Source.DestinationCenterId is { } id ? global::IopDirectory.GraphQL.GlobalId.Encode(Centers.CenterType.TypeName, id) : null);
        Field(r => r.PartnerNetworkName, nullable: true).Description("The network that answers, when it is a partner network.");
    }
}

public sealed class AnswerHoursType : ObjectGraphType<AnswerHours>
{
    public AnswerHoursType()
    {
        Name = "AnswerHours";
        Description = "A weekly window in which a line is answered, in the answering party's time zone.";
        Field<NonNullGraphType<DayOfWeekType>>("weekday").Description("Day of the week.").Resolve(c => c.Source.Weekday);
        Field<NonNullGraphType<StringGraphType>>("opensAt").Description("Local time, HH:mm.").Resolve(c => c.Source.OpensAt.ToString("HH:mm"));
        Field<NonNullGraphType<StringGraphType>>("closesAt").Description("Local time, HH:mm.").Resolve(c => c.Source.ClosesAt.ToString("HH:mm"));
    }
}
