using GraphQL;
using GraphQL.Types;
using IopDirectory.Auth;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Taxonomy;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace IopDirectory.CallRouting;

public sealed class RoutingRuleType : EnumerationGraphType<RoutingRule>
{
    public RoutingRuleType()
    {
        Name = "RoutingRule";
        Description = "The rule that decided where a call goes.";
        Values["ALL_HOURS"]!.Description = "The line is answered 24/7.";
        Values["BUSINESS_HOURS"]!.Description = "Inside the answering party's hours, in its own time zone.";
        Values["AFTER_HOURS_FALLBACK"]!.Description = "Outside those hours: the after-hours fallback line.";
        Values["OUTSIDE_HOURS_NO_FALLBACK"]!.Description = "Outside those hours and no fallback: expect voicemail or no answer.";
    }
}

public sealed class RouteDecisionType : ObjectGraphType<RouteResolution>
{
    public RouteDecisionType()
    {
        Name = "RouteDecision";
        Description = "Where a call to a displayed number goes at a given moment, why, and what the caller must be told.";
        Field<NonNullGraphType<StringGraphType>>("number").Description("The number dialled, E.164.").Resolve(c => c.Source.Route.Number);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Description("The moment of the call (UTC).").Resolve(c => c.Source.At.ToDateTimeOffset());
        Field<NonNullGraphType<StringGraphType>>("answerTimeZone").Description("The answering party's IANA time zone.").Resolve(c => c.Source.Route.AnswerTimeZone);
        Field<NonNullGraphType<StringGraphType>>("localTime").Description("The moment in that time zone, ISO 8601 with offset.")
            .Resolve(c => c.Source.LocalTime.ToOffsetDateTime().ToString());
        Field<NonNullGraphType<StringGraphType>>("destinationNumber").Description("The line that rings, E.164: transfer here.").Resolve(c => c.Source.DestinationNumber);
        Field<NonNullGraphType<StringGraphType>>("destinationDisplay").Description("The same, formatted.").Resolve(c => Rules.FormatNational(c.Source.DestinationNumber));
        Field<NonNullGraphType<RoutingRuleType>>("rule").Description("The rule applied.").Resolve(c => c.Source.Rule);
        Field<NonNullGraphType<BooleanGraphType>>("answered").Description("Whether someone is expected to answer now.").Resolve(c => c.Source.Answered);
        Field<NonNullGraphType<DisplayedNumberKindType>>("kind").Description("What the dialled number is.").Resolve(c => c.Source.Route.Kind);
        Field<NonNullGraphType<RouteDestinationType>>("routesTo").Description("Who answers in business hours.").Resolve(c => c.Source.Route);
        Field<IdGraphType>("displayedOn").Description("The centre whose listing shows this number, if any.")
            .Resolve(c => c.Source.Route.CenterId is { } id ? GlobalId.Encode(CenterType.TypeName, id) : null);
        Field<StringGraphType>("afterHoursLabel").Description("Who answers the fallback line.").Resolve(c => c.Source.Rule == RoutingRule.AfterHoursFallback ? c.Source.Route.AfterHoursLabel : null);
        Field<StringGraphType>("disclosure").Description("Read or show this to the caller.").Resolve(c => c.Source.Route.Disclosure);
        Field<NonNullGraphType<BooleanGraphType>>("isPaidPlacement").Description("Whether the listing showing the number is paid (never an input to routing).")
            .Resolve(c => c.Source.Route.IsPaidPlacement);
        Field<NonNullGraphType<BooleanGraphType>>("callbacksOffered").Description("Whether the answering party offers call-backs.").Resolve(c => c.Source.Route.CallbacksOffered);
    }
}

public sealed class RoutingDecisionType : ObjectGraphType<RoutingDecision>
{
    public RoutingDecisionType()
    {
        Name = "RoutingDecisionRecord";
        Description = "An audited routing decision: number, moment, destination and rule; nothing about the caller.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The record's id.").Resolve(c => c.Source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(d => d.Number).Description("The number dialled.");
        Field(d => d.CallAt).Description("The moment of the call the decision was for.");
        Field(d => d.RecordedAt).Description("When the decision was made.");
        Field(d => d.DestinationNumber).Description("Where the call was sent.");
        Field<NonNullGraphType<RoutingRuleType>>("rule").Description("The rule applied.").Resolve(c => c.Source.Rule);
        Field<IdGraphType>("destinationCenterId").Description("The centre that answers, when a facility.")
            .Resolve(c => c.Source.DestinationCenterId is { } id ? GlobalId.Encode(CenterType.TypeName, id) : null);
        Field(d => d.PartnerNetworkName, nullable: true).Description("The partner network that answers, when one does.");
        Field(d => d.IsPaidPlacement).Description("Whether the number belonged to a paid placement.");
    }
}

public sealed record RoutingDecisionPage(IReadOnlyList<RoutingDecision> Items, bool HasMore);

public sealed class RoutingDecisionPageType : ObjectGraphType<RoutingDecisionPage>
{
    public RoutingDecisionPageType()
    {
        Name = "RoutingDecisionPage";
        Description = "Audited routing decisions, newest first.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RoutingDecisionType>>>>("items").Description("The decisions.").Resolve(c => c.Source.Items);
        Field(p => p.HasMore).Description("True when older decisions follow; pass the last item's recordedAt as `before`.");
    }
}

public static class CallRoutingOperations
{
    public static readonly string[] RoutingRoles = [Roles.Hotline, Roles.Admin, Roles.Partner];

    public static void AddCallRoutingQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<RoutingDecisionPageType>>("routingDecisions")
            .Description("The routing audit log, newest first (ADMIN).")
            .Argument<StringGraphType>("number", "Only decisions for this number.")
            .Argument<DateTimeOffsetGraphType>("before", "Only decisions recorded before this moment.")
            .Argument<IntGraphType>("first", $"How many, 1 to {PageRequest.MaxPageSize} (default {PageRequest.DefaultPageSize}).")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument<int?>("first") ?? PageRequest.DefaultPageSize;
                if (first is < 1 or > PageRequest.MaxPageSize)
                    throw Errors.BadUserInput($"`first` must be between 1 and {PageRequest.MaxPageSize}.", "first");
                var db = c.RequestServices!.GetRequiredService<DirectoryDbContext>();
                var decisions = db.RoutingDecisions.AsNoTracking();
                if (c.GetArgument<string?>("number") is { } number)
                {
                    var e164 = Rules.ToE164(number) ?? throw Errors.BadUserInput("`number` is not a phone number.", "number");
                    decisions = decisions.Where(d => d.Number == e164);
                }
                if (c.GetArgument<DateTimeOffset?>("before") is { } before) decisions = decisions.Where(d => d.RecordedAt < before);
                var items = await decisions.OrderByDescending(d => d.RecordedAt).ThenByDescending(d => d.Id).Take(first + 1).ToListAsync(c.CancellationToken);
                return new RoutingDecisionPage(items.Take(first).ToList(), items.Count > first);
            });
    }

    public static void AddCallRoutingMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RouteDecisionType>>("routeCall")
            .Description("Where a call to this number goes at this moment (default now): destination, rule, disclosure. Every decision is recorded for audit.")
            .Argument<NonNullGraphType<StringGraphType>>("number", "The number dialled, in any common US format.")
            .Argument<DateTimeOffsetGraphType>("at", "The moment of the call; default now.")
            .RequireRoles(RoutingRoles)
            .ResolveAsync(async c =>
            {
                var raw = c.GetArgument<string>("number");
                var number = Rules.ToE164(raw) ?? throw Errors.BadUserInput("`number` is not a valid phone number.", "number");
                var clock = c.RequestServices!.GetRequiredService<TimeProvider>();
                var at = Instant.FromDateTimeOffset(c.GetArgument<DateTimeOffset?>("at") ?? clock.GetUtcNow());
                var db = c.RequestServices!.GetRequiredService<DirectoryDbContext>();
                var route = await db.CallRoutes.AsNoTracking().Include(r => r.Hours).FirstOrDefaultAsync(r => r.Number == number, c.CancellationToken)
                    ?? throw Errors.NotFound("No displayed number matches; it is not routed by this directory.");
                var resolution = CallRouter.Resolve(route, at);
                db.RoutingDecisions.Add(new RoutingDecision
                {
                    CallRouteId = route.Id,
                    Number = route.Number,
                    CallAt = at.ToDateTimeOffset(),
                    RecordedAt = clock.GetUtcNow(),
                    DestinationNumber = resolution.DestinationNumber,
                    Rule = resolution.Rule,
                    DestinationCenterId = route.DestinationCenterId,
                    PartnerNetworkName = route.PartnerNetworkName,
                    IsPaidPlacement = route.IsPaidPlacement,
                });
                await db.SaveChangesAsync(c.CancellationToken);
                return resolution;
            });
    }
}
