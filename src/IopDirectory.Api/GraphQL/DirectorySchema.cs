using GraphQL;
using GraphQL.Types;
using IopDirectory.CallRouting;
using IopDirectory.Callbacks;
using IopDirectory.Matching;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Editing;
using IopDirectory.Programs;
using IopDirectory.Search;
using IopDirectory.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.GraphQL;

public sealed class DirectorySchema : Schema
{
    public DirectorySchema(IServiceProvider services) : base(services)
    {
        Description = "IopDirectory: Intensive Outpatient Programs for addiction treatment, their schedules, services, insurance and call routing.";
        Query = services.GetRequiredService<QueryType>();
        Mutation = services.GetRequiredService<MutationType>();
    }
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        Description = "Everything that changes state; each mutation is one transaction.";
        this.AddCallRoutingMutations();
        this.AddCallbackMutations();
        this.AddEditingMutations();
        Partners.PartnerOperations.AddPartnerMutations(this);
    }
}

public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        Description = "Everything a directory, a hotline or a partner site reads.";

        Field<NodeInterface>("node")
            .Description("Refetches any object by its global id; null when it does not exist.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "A global id.")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<string>("id");
                var key = GlobalId.Decode(id) ?? throw Errors.BadUserInput($"'{id}' is not a valid id.", "id");
                var found = await NodesAsync(c.RequestServices!.GetRequiredService<DirectoryDbContext>(), [key], c.CancellationToken);
                return found.GetValueOrDefault(key);
            });

        Field<NonNullGraphType<ListGraphType<NodeInterface>>>("nodes")
            .Description("Refetches several objects by global id, in the order asked (null where one does not exist).")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids", $"Global ids, at most {PageRequest.MaxPageSize}.")
            .ResolveAsync(async c =>
            {
                var ids = c.GetArgument<List<string>>("ids");
                if (ids.Count > PageRequest.MaxPageSize)
                    throw Errors.BadUserInput($"At most {PageRequest.MaxPageSize} ids at once.", "ids");
                var keys = ids.Select(id => GlobalId.Decode(id) ?? throw Errors.BadUserInput($"'{id}' is not a valid id.", "ids")).ToList();
                var found = await NodesAsync(c.RequestServices!.GetRequiredService<DirectoryDbContext>(), keys, c.CancellationToken);
                return keys.Select(k => found.GetValueOrDefault(k)).ToList();
            });

        this.AddCenterQueries();
        this.AddSearchQueries();
        this.AddCallRoutingQueries();
        this.AddMatchingQueries();
        this.AddCallbackQueries();
        this.AddEditingQueries();
        Partners.PartnerOperations.AddPartnerQueries(this);

        Field<NonNullGraphType<TaxonomyType>>("taxonomy")
            .Description("The vocabularies (services, payer types, populations...) with labels, for filter UIs.")
            .Resolve(_ => new Taxonomy.Taxonomy());
    }

    /// <summary>Loads nodes of every type with one statement per type.</summary>
    private static async Task<Dictionary<(string Type, int Id), object>> NodesAsync(
        DirectoryDbContext db, IReadOnlyCollection<(string Type, int Id)> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, int), object>();
        var centerIds = keys.Where(k => k.Type == CenterType.TypeName).Select(k => k.Id).Distinct().ToList();
        if (centerIds.Count > 0)
            foreach (var center in await db.Centers.AsNoTracking().Where(c => centerIds.Contains(c.Id) && c.RetiredAt == null).ToListAsync(cancellationToken))
                found[(CenterType.TypeName, center.Id)] = center;
        var programIds = keys.Where(k => k.Type == IopProgramType.TypeName).Select(k => k.Id).Distinct().ToList();
        if (programIds.Count > 0)
            foreach (var program in await db.Programs.AsNoTracking().Where(p => programIds.Contains(p.Id)).ToListAsync(cancellationToken))
                found[(IopProgramType.TypeName, program.Id)] = program;
        return found;
    }
}
