using System.Buffers.Text;
using System.Globalization;
using System.Text;
using GraphQL;
using GraphQL.Types;
using IopDirectory.Auth;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Editing;

/// <summary>
/// Keeping the directory true: mutations that create and correct listings (ADMIN everywhere, EDITOR on the centres
/// assigned to them), each one transaction with its audit entries, refused with CONFLICT when made on an older
/// version; and the audit log for ADMIN.
/// </summary>
public static class EditingOperations
{
    private const string VersionHelp = "The centre's `version` you read; an older one is refused with CONFLICT and nothing changes.";

    public static IServiceCollection AddEditing(this IServiceCollection services) => services.AddScoped<DirectoryEditor>();

    public static void AddEditingQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<AuditEntryConnectionType>>("auditLog")
            .Description("Every recorded change of a centre and its programs, phones, insurance and routing, oldest first (ADMIN).")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre (retired ones too).")
            .Argument<IntGraphType>("first", $"Return the first N entries (1 to {PageRequest.MaxPageSize}, default 50).")
            .Argument<StringGraphType>("after", "Return entries after this cursor.")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c =>
            {
                var centerId = GlobalId.DecodeAs(CenterType.TypeName, c.GetArgument<string>("centerId"), "centerId");
                var first = c.GetArgument<int?>("first") ?? 50;
                if (first is < 1 or > PageRequest.MaxPageSize)
                    throw Errors.BadUserInput($"`first` must be between 1 and {PageRequest.MaxPageSize}.", "first");
                var after = DecodeCursor(c.GetArgument<string?>("after"));
                var all = c.RequestServices!.GetRequiredService<DirectoryDbContext>().AuditEntries.AsNoTracking().Where(a => a.CenterId == centerId);
                var items = await all.Where(a => a.Id > after).OrderBy(a => a.Id).Take(first + 1).ToListAsync(c.CancellationToken);
                var more = items.Count > first;
                if (more) items.RemoveAt(first);
                var edges = items.Select(a => new Edge<AuditEntry>(EncodeCursor(a.Id), a)).ToList();
                // The token, not the context: GraphQL.NET reuses a field's context once its resolver has returned.
                var cancellationToken = c.CancellationToken;
                return new Connection<AuditEntry>(edges, () => all.CountAsync(cancellationToken),
                    new PageInfo(more, after > 0, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor));
            });
    }

    public static void AddEditingMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<EditPayloadType>>("createCenter")
            .Description("Lists a new centre (ADMIN). Name, address, location and time zone are required.")
            .Argument<NonNullGraphType<CenterInputType>>("input", "The centre's facts.")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c => await Editor(c).CreateCenterAsync(c.User!, c.GetArgument<CenterInput>("input"), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("updateCenter")
            .Description("Corrects a centre's own facts (ADMIN, or an EDITOR assigned to it). Omitted fields stay as they are.")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .Argument<NonNullGraphType<CenterInputType>>("input", "The centre's facts.")
            .RequireRoles(Roles.Admin, Roles.Editor)
            .ResolveAsync(async c => await Editor(c).UpdateCenterAsync(c.User!, Center(c), Version(c), c.GetArgument<CenterInput>("input"), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("retireCenter")
            .Description("Takes a centre out of every listing, search and match (ADMIN, or an EDITOR assigned to it). Its record and audit trail stay.")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .RequireRoles(Roles.Admin, Roles.Editor)
            .ResolveAsync(async c => await Editor(c).RetireCenterAsync(c.User!, Center(c), Version(c), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("verifyCenter")
            .Description("Marks the listing verified now, saying how (ADMIN, or an EDITOR assigned to it).")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .Argument<NonNullGraphType<StringGraphType>>("source", "How it was verified, e.g. \"phone call to intake\".")
            .RequireRoles(Roles.Admin, Roles.Editor)
            .ResolveAsync(async c => await Editor(c).VerifyCenterAsync(c.User!, Center(c), Version(c), c.GetArgument<string>("source"), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("setAcceptingNewPatients")
            .Description("Opens or closes the centre to new patients (ADMIN, or an EDITOR assigned to it).")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .Argument<NonNullGraphType<BooleanGraphType>>("accepting", "Whether new patients are taken.")
            .RequireRoles(Roles.Admin, Roles.Editor)
            .ResolveAsync(async c => await Editor(c).SetAcceptingNewPatientsAsync(c.User!, Center(c), Version(c), c.GetArgument<bool>("accepting"), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("setPhones")
            .Description("Replaces the centre's own lines (ADMIN, or an EDITOR assigned to it).")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<PhoneInputType>>>>("phones", "Every line the centre has, replacing the current ones.")
            .RequireRoles(Roles.Admin, Roles.Editor)
            .ResolveAsync(async c => await Editor(c).SetPhonesAsync(c.User!, Center(c), Version(c), c.GetArgument<List<PhoneInput>>("phones"), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("setInsurance")
            .Description("Replaces the payer types and in-network carriers (ADMIN, or an EDITOR assigned to it).")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .Argument<NonNullGraphType<InsuranceInputType>>("input", "Payer types and carriers.")
            .RequireRoles(Roles.Admin, Roles.Editor)
            .ResolveAsync(async c => await Editor(c).SetInsuranceAsync(c.User!, Center(c), Version(c), c.GetArgument<InsuranceInput>("input"), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("saveProgram")
            .Description("Creates or updates an IOP program with its tracks and weekly sessions (ADMIN, or an EDITOR assigned to the centre).")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .Argument<NonNullGraphType<ProgramInputType>>("input", "The program's facts.")
            .RequireRoles(Roles.Admin, Roles.Editor)
            .ResolveAsync(async c => await Editor(c).SaveProgramAsync(c.User!, Center(c), Version(c), c.GetArgument<ProgramInput>("input"), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("retireProgram")
            .Description("Removes a program and its tracks (ADMIN, or an EDITOR assigned to the centre); the audit log keeps what it was.")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .Argument<NonNullGraphType<IdGraphType>>("programId", "The program to remove.")
            .RequireRoles(Roles.Admin, Roles.Editor)
            .ResolveAsync(async c => await Editor(c).RetireProgramAsync(c.User!, Center(c), Version(c), c.GetArgument<string>("programId"), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("saveCallRoute")
            .Description("Adds or changes a number displayed on the listing and where it routes (ADMIN). A number shown with the centre's name "
                + "must ring one of the centre's own lines; paid placements and partner networks need a disclosure.")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .Argument<NonNullGraphType<CallRouteInputType>>("input", "The number and its routing.")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c => await Editor(c).SaveCallRouteAsync(c.User!, Center(c), Version(c), c.GetArgument<CallRouteInput>("input"), c.CancellationToken));

        mutation.Field<NonNullGraphType<EditPayloadType>>("removeCallRoute")
            .Description("Stops displaying a number on the listing (ADMIN).")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("expectedVersion", VersionHelp)
            .Argument<NonNullGraphType<IdGraphType>>("routeId", "The displayed number (`displayedNumbers { id }`).")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c => await Editor(c).RemoveCallRouteAsync(c.User!, Center(c), Version(c), c.GetArgument<string>("routeId"), c.CancellationToken));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("assignEditor")
            .Description("Lets an EDITOR account (its token subject) edit a centre (ADMIN). False when it already could.")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("subject", "The editor's token subject.")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c => await Editor(c).AssignEditorAsync(c.User!, Center(c), c.GetArgument<string>("subject"), assign: true, c.CancellationToken));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("unassignEditor")
            .Description("Withdraws an editor's access to a centre (ADMIN). False when it had none.")
            .Argument<NonNullGraphType<IdGraphType>>("centerId", "The centre.")
            .Argument<NonNullGraphType<StringGraphType>>("subject", "The editor's token subject.")
            .RequireRoles(Roles.Admin)
            .ResolveAsync(async c => await Editor(c).AssignEditorAsync(c.User!, Center(c), c.GetArgument<string>("subject"), assign: false, c.CancellationToken));
    }

    private static DirectoryEditor Editor(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<DirectoryEditor>();

    private static string Center(IResolveFieldContext context) => context.GetArgument<string>("centerId");

    private static string Version(IResolveFieldContext context) => context.GetArgument<string>("expectedVersion");

    private static string EncodeCursor(long id) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"a:{id.ToString(CultureInfo.InvariantCulture)}"));

    private static long DecodeCursor(string? cursor)
    {
        if (cursor is null) return 0;
        try
        {
            var text = cursor.Length <= 40 ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)) : "";
            if (text.StartsWith("a:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return id;
        }
        catch (FormatException)
        {
        }
        throw Errors.BadUserInput("`after` is not a cursor of this audit log.", "after");
    }
}
