using GraphQL;
using GraphQL.Types;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Search;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Centers;

public static class CenterQueries
{
    public static void AddCenterQueries(this ObjectGraphType query)
    {
        query.Field<CenterType>("center")
            .Description("One centre by its global id; null when there is none or it was retired.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The centre's global id.")
            .ResolveAsync(async c =>
            {
                var id = GlobalId.DecodeAs(CenterType.TypeName, c.GetArgument<string>("id"));
                return await c.RequestServices!.GetRequiredService<DirectoryDbContext>().Centers.AsNoTracking()
                    .FirstOrDefaultAsync(x => x.Id == id && x.RetiredAt == null, c.CancellationToken);
            });

        var centers = query.Field<NonNullGraphType<CenterConnectionType>>("centers")
            .Description("Centres in id order, a page at a time, optionally filtered.")
            .Argument<CenterFilterInputType>("filter", "What the centres must offer.")
            .ResolveAsync(async c =>
            {
                var page = PageRequest.From(c);
                var filter = c.GetArgument<CenterFilter?>("filter");
                filter?.Check();
                var source = filter is null
                    ? c.RequestServices!.GetRequiredService<DirectoryDbContext>().Centers.AsNoTracking().Where(center => center.RetiredAt == null)
                    : c.RequestServices!.GetRequiredService<CenterSearch>().Filtered(null, filter);
                return await KeysetPaging.PageAsync(source, page, c.CancellationToken);
            });
        PageRequest.AddArguments(centers.FieldType);
    }
}

public sealed class CenterConnectionType() : ConnectionGraphType<CenterType, Center>(CenterType.TypeName);
