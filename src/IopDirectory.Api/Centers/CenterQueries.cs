using GraphQL;
using GraphQL.Types;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Centers;

/// <summary>Simple filters for listing centres; the location search builds on these.</summary>
public sealed record CenterFilter(
    string? State,
    List<LevelOfCare>? LevelsOfCare,
    List<string>? Services,
    List<TrackKind>? Tracks,
    List<PayerType>? PayerTypes,
    bool? AcceptingNewPatients)
{
    public IQueryable<Center> Apply(IQueryable<Center> centers)
    {
        if (State is not null) centers = centers.Where(c => c.Address.State == State.ToUpperInvariant());
        if (LevelsOfCare is { Count: > 0 } levels) centers = centers.Where(c => c.LevelsOfCare.Any(l => levels.Contains(l)));
        if (Services is { Count: > 0 } services)
            foreach (var code in services)
                centers = centers.Where(c => c.Programs.Any(p => p.ServiceCodes.Contains(code)));
        if (Tracks is { Count: > 0 } tracks)
            centers = centers.Where(c => c.Programs.Any(p => p.Tracks.Any(t => tracks.Contains(t.Kind))));
        if (PayerTypes is { Count: > 0 } payers) centers = centers.Where(c => c.PayerTypes.Any(p => payers.Contains(p)));
        if (AcceptingNewPatients is { } accepting) centers = centers.Where(c => c.AcceptingNewPatients == accepting);
        return centers;
    }

    public void Check()
    {
        if (State is not null && !Rules.UsStates.Contains(State.ToUpperInvariant()))
            throw Errors.BadUserInput($"'{State}' is not a US state or territory code.", "filter.state");
        foreach (var code in Services ?? [])
            if (!ServiceCatalog.Exists(code))
                throw Errors.BadUserInput($"'{code}' is not a service code; see taxonomy.services.", "filter.services");
    }
}

public sealed class CenterFilterInputType : InputObjectGraphType<CenterFilter>
{
    public CenterFilterInputType()
    {
        Name = "CenterFilter";
        Description = "Narrows a list of centres. Lists are any-of, except `services`, which is all-of.";
        Field(f => f.State, nullable: true).Description("USPS state or territory code, e.g. AZ.");
        Field<ListGraphType<NonNullGraphType<LevelOfCareType>>>("levelsOfCare").Description("Offers any of these levels of care.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("services").Description("Runs a program offering every one of these service codes.");
        Field<ListGraphType<NonNullGraphType<TrackKindType>>>("tracks").Description("Runs a program with any of these tracks.");
        Field<ListGraphType<NonNullGraphType<PayerTypeType>>>("payerTypes").Description("Accepts any of these payer types.");
        Field(f => f.AcceptingNewPatients, nullable: true).Description("Only centres that are (or are not) accepting new patients.");
    }
}

public static class CenterQueries
{
    public static void AddCenterQueries(this ObjectGraphType query)
    {
        query.Field<CenterType>("center")
            .Description("One centre by its global id; null when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The centre's global id.")
            .ResolveAsync(async c =>
            {
                var id = GlobalId.DecodeAs(CenterType.TypeName, c.GetArgument<string>("id"));
                return await c.RequestServices!.GetRequiredService<DirectoryDbContext>().Centers.AsNoTracking()
                    .FirstOrDefaultAsync(x => x.Id == id, c.CancellationToken);
            });

        var centers = query.Field<NonNullGraphType<CenterConnectionType>>("centers")
            .Description("Centres in id order, a page at a time, optionally filtered.")
            .Argument<CenterFilterInputType>("filter", "What the centres must offer.")
            .ResolveAsync(async c =>
            {
                var page = PageRequest.From(c);
                var filter = c.GetArgument<CenterFilter?>("filter");
                filter?.Check();
                var db = c.RequestServices!.GetRequiredService<DirectoryDbContext>();
                var source = db.Centers.AsNoTracking();
                if (filter is not null) source = filter.Apply(source);
                return await KeysetPaging.PageAsync(source, page, c.CancellationToken);
            });
        PageRequest.AddArguments(centers.FieldType);
    }
}

public sealed class CenterConnectionType() : ConnectionGraphType<CenterType, Center>(CenterType.TypeName);
