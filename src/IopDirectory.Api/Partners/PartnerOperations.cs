using GraphQL;
using GraphQL.Types;
using IopDirectory.Auth;
using IopDirectory.CallRouting;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Partners;

/// <summary>ADMIN manages partners: keys (shown once, rotated, revoked), origins, default filter, tracking numbers, usage.</summary>
public static class PartnerOperations
{
    public static IServiceCollection AddPartners(this IServiceCollection services)
    {
        services.AddOptions<CostLimitOptions>().BindConfiguration("CostLimits")
            .Validate(o => o.Partner.IsValid() && o.Anonymous.IsValid(), "CostLimits: MaximumAvailable must be at least 1 and RestoreRate above 0.")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddScoped<PartnerRequest>();
        services.AddSingleton<CostLimiter>();
        services.AddSingleton<global::GraphQL.DI.IConfigureExecution, PartnerExecution>();
        return services;
    }

    public static void AddPartnerQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PartnerType>>>>("partners")
            .Description("Every partner site, by name (ADMIN).")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c => await Db(c).Partners.AsNoTracking().Include(p => p.Keys).OrderBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PartnerUsageDayType>>>>("partnerUsage")
            .Description("A partner's traffic by UTC day, oldest first: requests made with its keys and listings shown to them (ADMIN).")
            .Argument<NonNullGraphType<IdGraphType>>("partnerId", "The partner.")
            .Argument<IntGraphType>("days", "How many days back from today (UTC), 1 to 366; default 30.")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var id = GlobalId.DecodeAs(PartnerType.TypeName, c.GetArgument<string>("partnerId"), "partnerId");
                var days = c.GetArgument<int?>("days") ?? 30;
                if (days is < 1 or > 366) throw Errors.BadUserInput("`days` must be between 1 and 366.", "days");
                var today = DateOnly.FromDateTime(c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
                var from = today.AddDays(1 - days);
                return await Db(c).PartnerUsage.AsNoTracking().Where(u => u.PartnerId == id && u.Day >= from).OrderBy(u => u.Day).ToListAsync(c.CancellationToken);
            });
    }

    public static void AddPartnerMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PartnerKeyPayloadType>>("createPartner")
            .Description("Adds a partner site with its first API key (ADMIN). The key is in the answer once and never again: only its hash is kept.")
            .Argument<NonNullGraphType<PartnerInputType>>("input", "The partner's name, origins and settings.")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<PartnerInput>("input");
                if (input.Name is null) throw Errors.BadUserInput("A new partner needs a `name`.", "input");
                var (partner, key) = await CreateAsync(Db(c), input, c.RequestServices!.GetRequiredService<TimeProvider>(), c.CancellationToken);
                return new PartnerKeyPayload(partner, key);
            });

        mutation.Field<NonNullGraphType<PartnerType>>("updatePartner")
            .Description("Changes a partner's name, origins, default state or trusted-documents rule (ADMIN). Omitted fields stay as they are.")
            .Argument<NonNullGraphType<IdGraphType>>("partnerId", "The partner.")
            .Argument<NonNullGraphType<PartnerInputType>>("input", "What to change.")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var partner = await LoadAsync(c);
                Apply(partner, c.GetArgument<PartnerInput>("input"));
                await Db(c).SaveChangesAsync(c.CancellationToken);
                return partner;
            });

        mutation.Field<NonNullGraphType<PartnerType>>("setPartnerOrigins")
            .Description("Replaces the web origins a partner's keys are honoured from, e.g. https://www.example.org (ADMIN).")
            .Argument<NonNullGraphType<IdGraphType>>("partnerId", "The partner.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("origins", "Origins: scheme, host and optional port, no path.")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var partner = await LoadAsync(c);
                Apply(partner, new PartnerInput { Origins = c.GetArgument<List<string>>("origins") });
                await Db(c).SaveChangesAsync(c.CancellationToken);
                return partner;
            });

        mutation.Field<NonNullGraphType<PartnerKeyPayloadType>>("rotatePartnerKey")
            .Description("Issues a new API key for a partner (ADMIN), shown once. Older keys keep working until revoked, so the partner can switch without downtime; `revokeOthers` ends them now.")
            .Argument<NonNullGraphType<IdGraphType>>("partnerId", "The partner.")
            .Argument<BooleanGraphType>("revokeOthers", "Revoke every other key of the partner at once (default false).")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var partner = await LoadAsync(c);
                var now = c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow();
                if (c.GetArgument<bool?>("revokeOthers") == true)
                    foreach (var old in partner.Keys.Where(k => k.RevokedAt is null)) old.RevokedAt = now;
                var key = AddKey(partner, now);
                await Db(c).SaveChangesAsync(c.CancellationToken);
                return new PartnerKeyPayload(partner, key);
            });

        mutation.Field<NonNullGraphType<PartnerType>>("revokePartnerKey")
            .Description("Revokes one API key at once (ADMIN): requests with it get 401 INVALID_API_KEY from then on.")
            .Argument<NonNullGraphType<IdGraphType>>("keyId", "The key (`partners { keys { id } }`).")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var id = GlobalId.DecodeAs(PartnerKeyType.TypeName, c.GetArgument<string>("keyId"), "keyId");
                var db = Db(c);
                var key = await db.PartnerKeys.FirstOrDefaultAsync(k => k.Id == id, c.CancellationToken) ?? throw Errors.NotFound("No such API key.");
                key.RevokedAt ??= c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow();
                await db.SaveChangesAsync(c.CancellationToken);
                return await db.Partners.Include(p => p.Keys).FirstAsync(p => p.Id == key.PartnerId, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<PartnerType>>("setPartnerTrackingNumbers")
            .Description("Gives a partner its pool of tracking numbers (ADMIN): each a tracking number on one centre's listing that rings that centre. "
                + "Shown to that partner instead of the centre's numbers, to nobody else. Numbers the partner held and are not listed go back to the listing.")
            .Argument<NonNullGraphType<IdGraphType>>("partnerId", "The partner.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("routeIds", "The displayed numbers (`displayedNumbers { id }`).")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var partner = await LoadAsync(c);
                var ids = c.GetArgument<List<string>>("routeIds").Select(r => GlobalId.DecodeAs(DisplayedNumberType.TypeName, r, "routeIds")).ToHashSet();
                var db = Db(c);
                var routes = await db.CallRoutes.Where(r => ids.Contains(r.Id) || r.PartnerId == partner.Id).ToListAsync(c.CancellationToken);
                foreach (var missing in ids.Where(id => routes.All(r => r.Id != id)))
                    throw Errors.NotFound($"No displayed number {GlobalId.Encode(DisplayedNumberType.TypeName, missing)}.");
                foreach (var route in routes.Where(r => ids.Contains(r.Id)))
                {
                    if (route.CenterId is not { } centerId || !PartnerAttribution.RingsListing(route, centerId))
                        throw Errors.BadUserInput($"{route.Number} is not a tracking number on a listing that rings that listing's centre.", "routeIds");
                    if (route.PartnerId is { } other && other != partner.Id)
                        throw Errors.BadUserInput($"{route.Number} belongs to another partner.", "routeIds");
                    route.PartnerId = partner.Id;
                }
                foreach (var released in routes.Where(r => r.PartnerId == partner.Id && !ids.Contains(r.Id))) released.PartnerId = null;
                await db.SaveChangesAsync(c.CancellationToken);
                return partner;
            });
    }

    /// <summary>Creates a partner with one key (the mutation and the CLI's `partner create`).</summary>
    public static async Task<(Partner Partner, string Key)> CreateAsync(DirectoryDbContext db, PartnerInput input, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var partner = new Partner { Name = input.Name?.Trim() ?? "", CreatedAt = now };
        Apply(partner, input);
        var key = AddKey(partner, now);
        db.Partners.Add(partner);
        await db.SaveChangesAsync(cancellationToken);
        return (partner, key);
    }

    private static string AddKey(Partner partner, DateTimeOffset now)
    {
        var key = ApiKeys.NewKey();
        partner.Keys.Add(new PartnerKey { Prefix = ApiKeys.PrefixOf(key), Hash = ApiKeys.Hash(key), CreatedAt = now });
        return key;
    }

    /// <summary>Copies the given fields; origins are kept in canonical form (invalid ones are left as typed, for the model's rule to name).</summary>
    private static void Apply(Partner partner, PartnerInput input)
    {
        if (input.Name is not null) partner.Name = input.Name.Trim();
        if (input.Origins is not null)
            partner.Origins = input.Origins.Select(o => PartnerOrigins.Normalize(o.Trim()) ?? o).Distinct().ToList();
        if (input.DefaultState is not null) partner.DefaultState = input.DefaultState.Length == 0 ? null : input.DefaultState.Trim().ToUpperInvariant();
        if (input.TrustedDocumentsOnly is { } trusted) partner.TrustedDocumentsOnly = trusted;
    }

    private static async Task<Partner> LoadAsync(IResolveFieldContext c)
    {
        var id = GlobalId.DecodeAs(PartnerType.TypeName, c.GetArgument<string>("partnerId"), "partnerId");
        return await Db(c).Partners.Include(p => p.Keys).FirstOrDefaultAsync(p => p.Id == id, c.CancellationToken) ?? throw Errors.NotFound("No such partner.");
    }

    private static DirectoryDbContext Db(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<DirectoryDbContext>();
}

public sealed class PartnerInput
{
    public string? Name { get; set; }
    public List<string>? Origins { get; set; }
    public string? DefaultState { get; set; }
    public bool? TrustedDocumentsOnly { get; set; }
}

public sealed record PartnerKeyPayload(Partner Partner, string ApiKey);

public sealed class PartnerInputType : InputObjectGraphType<PartnerInput>
{
    public PartnerInputType()
    {
        Name = "PartnerInput";
        Description = "A partner's settings; on update, omitted fields stay as they are.";
        Field(p => p.Name, nullable: true).Description("The partner's name (required on create).");
        Field(p => p.Origins, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>)).Description("Web origins its keys are honoured from, e.g. https://www.example.org.");
        Field(p => p.DefaultState, nullable: true).Description("Two-letter state the widget searches in when the embed does not say; empty string clears it.");
        Field(p => p.TrustedDocumentsOnly, nullable: true).Description("Restrict the partner's keys to the trusted documents (sha256 document ids).");
    }
}

public sealed class PartnerType : ObjectGraphType<Partner>
{
    public const string TypeName = "Partner";

    public PartnerType()
    {
        Name = TypeName;
        Description = "A partner site that embeds listings with its own API keys.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(p => p.Name).Description("The partner's name.");
        Field(p => p.Origins).Description("Web origins its keys are honoured from (CORS).");
        Field(p => p.DefaultState, nullable: true).Description("The state the widget searches in when the embed does not say.");
        Field(p => p.TrustedDocumentsOnly).Description("When true, its keys run only the trusted documents.");
        Field(p => p.CreatedAt).Description("When the partner was added.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PartnerKeyType>>>>("keys").Description("Its API keys, newest first (never the keys themselves).")
            .Resolve(c => c.Source.Keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DisplayedNumberType>>>>("trackingNumbers")
            .Description("Its tracking numbers, each on one centre's listing and ringing that centre.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<DirectoryDbContext>().CallRoutes.AsNoTracking().Include(r => r.Hours)
                .Where(r => r.PartnerId == c.Source.Id).OrderBy(r => r.Id).ToListAsync(c.CancellationToken));
    }
}

public sealed class PartnerKeyType : ObjectGraphType<PartnerKey>
{
    public const string TypeName = "PartnerKey";

    public PartnerKeyType()
    {
        Name = TypeName;
        Description = "An API key of a partner. Only a hash is stored; the key was shown once, when issued.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Identifies the key for `revokePartnerKey`.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(k => k.Prefix).Description("The key's first characters, to tell keys apart.");
        Field(k => k.CreatedAt).Description("When the key was issued.");
        Field(k => k.RevokedAt, nullable: true).Description("When the key was revoked; null while it works.");
    }
}

public sealed class PartnerKeyPayloadType : ObjectGraphType<PartnerKeyPayload>
{
    public PartnerKeyPayloadType()
    {
        Name = "PartnerKeyPayload";
        Description = "A partner and a newly issued key.";
        Field<NonNullGraphType<PartnerType>>("partner").Description("The partner.").Resolve(c => c.Source.Partner);
        Field(p => p.ApiKey).Description("The new key, shown this once: store it now. Send it as the X-Api-Key header.");
    }
}

public sealed class PartnerUsageDayType : ObjectGraphType<PartnerUsageDay>
{
    public PartnerUsageDayType()
    {
        Name = "PartnerUsageDay";
        Description = "One partner's traffic on one UTC day.";
        Field<NonNullGraphType<StringGraphType>>("day").Description("The UTC day, yyyy-MM-dd.")
            .Resolve(c => c.Source.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<IntGraphType>>("requests").Description("GraphQL operations made with the partner's keys.")
            .Resolve(c => (int)Math.Min(int.MaxValue, c.Source.Requests));
        Field<NonNullGraphType<IntGraphType>>("listingsShown").Description("Listings (distinct centres per operation) returned to them.")
            .Resolve(c => (int)Math.Min(int.MaxValue, c.Source.ListingsShown));
    }
}
