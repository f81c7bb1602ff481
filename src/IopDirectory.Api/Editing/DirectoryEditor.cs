using System.Globalization;
using System.Security.Claims;
using GraphQL;
using IopDirectory.Auth;
using IopDirectory.CallRouting;
using IopDirectory.Callbacks;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Search;
using IopDirectory.Taxonomy;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace IopDirectory.Editing;

/// <summary>What every editing mutation returns: the record as saved, or what is wrong with the input (then nothing is saved).</summary>
public sealed record EditPayload(Center? Center, IopProgram? Program, IReadOnlyList<UserError> UserErrors)
{
    public static EditPayload Fail(IEnumerable<UserError> errors) => new(null, null, errors.ToList());
}

/// <summary>
/// Edits a centre and everything under it, one mutation at a time, each in one transaction with its audit entries.
/// <list type="bullet">
/// <item>Who: ADMIN edits every centre; EDITOR only the centres assigned to them (<see cref="CenterEditor"/>).</item>
/// <item>Concurrency: the centre is the unit of editing. Every edit names the centre's <c>version</c> it started from
/// and bumps it; an edit started from an older version is refused with CONFLICT and changes nothing, also when two
/// edits race (the UPDATE checks the version it read).</item>
/// <item>Validation: input problems and the model's rules come back as <c>userErrors</c>; nothing is written then.</item>
/// </list>
/// </summary>
public sealed class DirectoryEditor(DirectoryDbContext db, TimeProvider clock)
{
    public const string Conflict = "CONFLICT";
    private static readonly GeometryFactory Wgs84 = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    public async Task<EditPayload> CreateCenterAsync(ClaimsPrincipal user, CenterInput input, CancellationToken cancellationToken)
    {
        var errors = new List<UserError>();
        if (string.IsNullOrWhiteSpace(input.Name)) errors.Add(new("name", "A centre needs a name.", "REQUIRED"));
        if (input.Address is null) errors.Add(new("address", "A centre needs an address.", "REQUIRED"));
        if (input.Location is null) errors.Add(new("location", "A centre needs a location.", "REQUIRED"));
        if (string.IsNullOrWhiteSpace(input.TimeZone)) errors.Add(new("timeZone", "A centre needs its IANA time zone.", "REQUIRED"));
        if (errors.Count > 0) return EditPayload.Fail(errors);

        var center = new Center
        {
            Name = input.Name!.Trim(),
            Address = new Address { Street1 = "", City = "", State = "", PostalCode = "" },
            Location = Point(input.Location!),
            TimeZone = input.TimeZone!,
            Source = "api",
            SourceId = Guid.NewGuid().ToString("N"),
        };
        Apply(center, input);
        db.Centers.Add(center);
        return await SaveAsync(user, center, null, cancellationToken);
    }

    public Task<EditPayload> UpdateCenterAsync(ClaimsPrincipal user, string centerId, string expectedVersion, CenterInput input,
        CancellationToken cancellationToken) =>
        EditAsync(user, centerId, expectedVersion, center =>
        {
            Apply(center, input);
            return [];
        }, cancellationToken);

    public Task<EditPayload> RetireCenterAsync(ClaimsPrincipal user, string centerId, string expectedVersion, CancellationToken cancellationToken) =>
        EditAsync(user, centerId, expectedVersion, center =>
        {
            center.RetiredAt = clock.GetUtcNow();
            return [];
        }, cancellationToken);

    public Task<EditPayload> VerifyCenterAsync(ClaimsPrincipal user, string centerId, string expectedVersion, string source,
        CancellationToken cancellationToken) =>
        EditAsync(user, centerId, expectedVersion, center =>
        {
            if (string.IsNullOrWhiteSpace(source) || source.Length > 200)
                return [new("source", "Say how the listing was verified (1 to 200 characters), e.g. \"phone call to intake\".", "INVALID_SOURCE")];
            center.LastVerifiedAt = clock.GetUtcNow();
            center.VerificationSource = source.Trim();
            return [];
        }, cancellationToken);

    public Task<EditPayload> SetAcceptingNewPatientsAsync(ClaimsPrincipal user, string centerId, string expectedVersion, bool accepting,
        CancellationToken cancellationToken) =>
        EditAsync(user, centerId, expectedVersion, center =>
        {
            center.AcceptingNewPatients = accepting;
            return [];
        }, cancellationToken);

    /// <summary>Replaces the centre's own lines (main, intake...). Numbers in any common US form; stored in E.164.</summary>
    public Task<EditPayload> SetPhonesAsync(ClaimsPrincipal user, string centerId, string expectedVersion, IReadOnlyList<PhoneInput> phones,
        CancellationToken cancellationToken) =>
        EditAsync(user, centerId, expectedVersion, center =>
        {
            var errors = new List<UserError>();
            var replacement = new List<Phone>();
            for (var i = 0; i < phones.Count; i++)
            {
                if (Rules.ToE164(phones[i].Number) is not { } e164)
                {
                    errors.Add(new($"phones[{i}].number", "Not a valid phone number.", "INVALID_PHONE"));
                    continue;
                }
                replacement.Add(new Phone { CenterId = center.Id, Kind = phones[i].Kind, Number = e164, Extension = phones[i].Extension });
            }
            if (errors.Count > 0) return errors;
            Replace(center.Phones, replacement, (a, b) => a.Kind == b.Kind && a.Number == b.Number && a.Extension == b.Extension);
            return [];
        }, cancellationToken);

    /// <summary>Replaces payer types and in-network carriers.</summary>
    public Task<EditPayload> SetInsuranceAsync(ClaimsPrincipal user, string centerId, string expectedVersion, InsuranceInput input,
        CancellationToken cancellationToken) =>
        EditAsync(user, centerId, expectedVersion, center =>
        {
            var errors = input.Carriers.Select((code, i) => (code, i)).Where(x => !Carriers.All.ContainsKey(x.code))
                .Select(x => new UserError($"carriers[{x.i}]", "Not a known carrier code (see taxonomy { carriers }).", "UNKNOWN_CARRIER")).ToList();
            if (errors.Count > 0) return errors;
            center.PayerTypes = input.PayerTypes.Distinct().ToList();
            Replace(center.InsurancePlans, input.Carriers.Distinct().Select(code => new InsurancePlan { CenterId = center.Id, CarrierCode = code }).ToList(),
                (a, b) => a.CarrierCode == b.CarrierCode);
            return [];
        }, cancellationToken);

    /// <summary>Creates a program (no <c>programId</c>) or updates one; <c>tracks</c>, when given, replace the program's tracks.</summary>
    public async Task<EditPayload> SaveProgramAsync(ClaimsPrincipal user, string centerId, string expectedVersion, ProgramInput input,
        CancellationToken cancellationToken)
    {
        IopProgram? saved = null;
        var payload = await EditAsync(user, centerId, expectedVersion, center =>
        {
            IopProgram program;
            if (input.ProgramId is null)
            {
                if (string.IsNullOrWhiteSpace(input.Name)) return [new("name", "A program needs a name.", "REQUIRED")];
                program = new IopProgram { CenterId = center.Id, Name = input.Name.Trim(), Center = center };
                center.Programs.Add(program);
            }
            else
            {
                var id = GlobalId.Decode(input.ProgramId) is { Type: IopProgramType.TypeName } decoded ? decoded.Id : -1;
                if (center.Programs.FirstOrDefault(p => p.Id == id) is not { } existing)
                    return [new("programId", "This centre has no program with that id.", "NOT_FOUND")];
                program = existing;
            }
            var errors = Apply(program, input);
            saved = program;
            return errors;
        }, cancellationToken);
        return payload.UserErrors.Count > 0 ? payload : payload with { Program = saved };
    }

    public Task<EditPayload> RetireProgramAsync(ClaimsPrincipal user, string centerId, string expectedVersion, string programId,
        CancellationToken cancellationToken) =>
        EditAsync(user, centerId, expectedVersion, center =>
        {
            var id = GlobalId.Decode(programId) is { Type: IopProgramType.TypeName } decoded ? decoded.Id : -1;
            if (center.Programs.FirstOrDefault(p => p.Id == id) is not { } program)
                return [new("programId", "This centre has no program with that id.", "NOT_FOUND")];
            center.Programs.Remove(program);
            db.Programs.Remove(program);
            return [];
        }, cancellationToken);

    /// <summary>
    /// Creates or updates a number displayed on the centre's listing (ADMIN: routing and paid placement are the
    /// directory's business). Beyond the model's trust rules, a number that rings a facility must ring one of that
    /// facility's own lines, so a listing can never forward to a line its centre does not have.
    /// </summary>
    public Task<EditPayload> SaveCallRouteAsync(ClaimsPrincipal user, string centerId, string expectedVersion, CallRouteInput input,
        CancellationToken cancellationToken) =>
        EditAsync(user, centerId, expectedVersion, center =>
        {
            var errors = new List<UserError>();
            var number = Rules.ToE164(input.Number);
            var destination = Rules.ToE164(input.DestinationNumber);
            var afterHours = string.IsNullOrWhiteSpace(input.AfterHoursNumber) ? null : Rules.ToE164(input.AfterHoursNumber);
            if (number is null) errors.Add(new("number", "Not a valid phone number.", "INVALID_PHONE"));
            if (destination is null) errors.Add(new("destinationNumber", "Not a valid phone number.", "INVALID_PHONE"));
            if (!string.IsNullOrWhiteSpace(input.AfterHoursNumber) && afterHours is null)
                errors.Add(new("afterHoursNumber", "Not a valid phone number.", "INVALID_PHONE"));
            if (input.DestinationKind == RouteDestinationKind.Facility && destination is not null && !center.Phones.Any(p => p.Number == destination))
                errors.Add(new("destinationNumber", "A number on this listing must ring one of the centre's own lines (see `phones`).", "ROUTES_AWAY_FROM_LISTING"));
            var hours = new List<AnswerHours>();
            for (var i = 0; i < input.Hours.Count; i++)
            {
                if (!TryParseClock(input.Hours[i].OpensAt, out var opens) || !TryParseClock(input.Hours[i].ClosesAt, out var closes))
                {
                    errors.Add(new($"hours[{i}]", "Times are 24-hour HH:mm, e.g. 08:30.", "INVALID_TIME"));
                    continue;
                }
                hours.Add(new AnswerHours { Weekday = input.Hours[i].Weekday, OpensAt = opens, ClosesAt = closes });
            }
            CallRoute route;
            if (input.RouteId is null)
            {
                route = new CallRoute { CenterId = center.Id, Number = "", DestinationNumber = "", AnswerTimeZone = "" };
                center.CallRoutes.Add(route);
            }
            else if (GlobalId.Decode(input.RouteId) is { Type: DisplayedNumberType.TypeName } decoded && center.CallRoutes.FirstOrDefault(r => r.Id == decoded.Id) is { } existing)
                route = existing;
            else
                return [new("routeId", "This listing shows no number with that id.", "NOT_FOUND")];
            if (errors.Count > 0) return errors;

            route.Number = number!;
            route.Kind = input.Kind;
            route.DestinationKind = input.DestinationKind;
            route.DestinationCenterId = input.DestinationKind == RouteDestinationKind.Facility ? center.Id : null;
            route.PartnerNetworkName = input.PartnerNetworkName;
            route.DestinationNumber = destination!;
            route.AnsweredAllHours = input.AnsweredAllHours;
            route.AnswerTimeZone = input.AnswerTimeZone;
            route.AfterHoursNumber = afterHours;
            route.AfterHoursLabel = input.AfterHoursLabel;
            route.IsPaidPlacement = input.IsPaidPlacement;
            route.Disclosure = string.IsNullOrWhiteSpace(input.Disclosure) ? null : input.Disclosure;
            route.CallbacksOffered = input.CallbacksOffered;
            Replace(route.Hours, hours, (a, b) => a.Weekday == b.Weekday && a.OpensAt == b.OpensAt && a.ClosesAt == b.ClosesAt);
            return [];
        }, cancellationToken);

    /// <summary>Stops displaying a number; one that has routed calls stays, since the routing log refers to it.</summary>
    public async Task<EditPayload> RemoveCallRouteAsync(ClaimsPrincipal user, string centerId, string expectedVersion, string routeId,
        CancellationToken cancellationToken)
    {
        var id = GlobalId.Decode(routeId) is { Type: DisplayedNumberType.TypeName } decoded ? decoded.Id : -1;
        var logged = await db.RoutingDecisions.AnyAsync(d => d.CallRouteId == id, cancellationToken);
        return await EditAsync(user, centerId, expectedVersion, center =>
        {
            if (center.CallRoutes.FirstOrDefault(r => r.Id == id) is not { } route)
                return [new("routeId", "This listing shows no number with that id.", "NOT_FOUND")];
            if (logged)
                return [new("routeId", "Calls to this number were routed and logged; it stays for the routing log. Change where it routes instead.",
                    "HAS_ROUTING_HISTORY")];
            db.RemoveRange(route.Hours);
            center.CallRoutes.Remove(route);
            db.Remove(route);
            return [];
        }, cancellationToken);
    }

    public async Task<bool> AssignEditorAsync(ClaimsPrincipal user, string centerId, string subject, bool assign, CancellationToken cancellationToken)
    {
        var id = GlobalId.DecodeAs(CenterType.TypeName, centerId, "centerId");
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > 200)
            throw Errors.BadUserInput("`subject` is the editor's token subject (1 to 200 characters).", "subject");
        if (!await db.Centers.AnyAsync(c => c.Id == id, cancellationToken))
            throw Errors.NotFound("No centre has this id.");
        var existing = await db.CenterEditors.FindAsync([id, subject], cancellationToken);
        if (assign && existing is null)
            db.CenterEditors.Add(new CenterEditor { CenterId = id, Subject = subject, AssignedAt = clock.GetUtcNow(), AssignedBy = Actor(user) });
        else if (!assign && existing is not null)
            db.CenterEditors.Remove(existing);
        else
            return false;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Load the centre for editing, check who and which version, apply, validate, save with audit; or change nothing.</summary>
    private async Task<EditPayload> EditAsync(ClaimsPrincipal user, string centerId, string expectedVersion, Func<Center, List<UserError>> edit,
        CancellationToken cancellationToken)
    {
        var id = GlobalId.DecodeAs(CenterType.TypeName, centerId, "centerId");
        var center = await db.Centers
            .Include(c => c.Phones)
            .Include(c => c.InsurancePlans)
            .Include(c => c.CallRoutes).ThenInclude(r => r.Hours)
            .Include(c => c.Programs).ThenInclude(p => p.Tracks).ThenInclude(t => t.Sessions)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == id && c.RetiredAt == null, cancellationToken)
            ?? throw Errors.NotFound("No listed centre has this id.");
        await DemandAccessAsync(user, id, cancellationToken);
        if (center.Version.ToString(CultureInfo.InvariantCulture) != expectedVersion)
            throw ConflictError(center.Version);

        var errors = edit(center);
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            return EditPayload.Fail(errors);
        }
        return await SaveAsync(user, center, center.Version, cancellationToken);
    }

    private async Task<EditPayload> SaveAsync(ClaimsPrincipal user, Center center, uint? readVersion, CancellationToken cancellationToken)
    {
        center.UpdatedAt = clock.GetUtcNow();
        db.Actor = Actor(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new EditPayload(center, null, []);
        }
        catch (DirectoryValidationException invalid)
        {
            db.ChangeTracker.Clear();
            return EditPayload.Fail(invalid.Errors.Select(e => new UserError(e.Field, e.Message, e.Code)));
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Centers.AsNoTracking().Where(c => c.Id == center.Id).Select(c => c.Version).FirstOrDefaultAsync(cancellationToken);
            throw ConflictError(current == 0 ? readVersion ?? 0 : current);
        }
        finally
        {
            db.Actor = null;
        }
    }

    private async Task DemandAccessAsync(ClaimsPrincipal user, int centerId, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Admin)) return;
        var subject = Subject(user);
        if (user.IsInRole(Roles.Editor) && subject is not null
            && await db.CenterEditors.AnyAsync(e => e.CenterId == centerId && e.Subject == subject, cancellationToken))
            return;
        throw new ExecutionError("Editors can change only the centres assigned to them.") { Code = ErrorCodes.Forbidden };
    }

    private static ExecutionError ConflictError(uint current)
    {
        var error = new ExecutionError("The listing changed since you read it: load it again (its `version` is now newer) and redo the edit.")
        {
            Code = Conflict,
        };
        error.Data["currentVersion"] = current.ToString(CultureInfo.InvariantCulture);
        return error;
    }

    public static string? Subject(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");

    /// <summary>How the audit trail names the user: subject and role(s).</summary>
    public static string Actor(ClaimsPrincipal user) =>
        $"{Subject(user) ?? "unknown"} ({string.Join(", ", Roles.All.Where(user.IsInRole))})";

    private static bool TryParseClock(string value, out TimeOnly time) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static Point Point(GeoPointInput location) => Wgs84.CreatePoint(new Coordinate(location.Longitude, location.Latitude));

    /// <summary>Copies what the input sets (null: unchanged; an empty string clears an optional text).</summary>
    private static void Apply(Center center, CenterInput input)
    {
        if (input.Name is { } name) center.Name = name.Trim();
        if (input.Description is { } description) center.Description = description.Length == 0 ? null : description;
        if (input.Website is { } website) center.Website = website.Length == 0 ? null : website;
        if (input.Address is { } address)
            center.Address = new Address
            {
                Street1 = address.Street1, Street2 = string.IsNullOrEmpty(address.Street2) ? null : address.Street2, City = address.City,
                State = address.State.ToUpperInvariant(), PostalCode = address.PostalCode, County = string.IsNullOrEmpty(address.County) ? null : address.County,
            };
        if (input.Location is { } location) center.Location = Point(location);
        if (input.TimeZone is { } zone) center.TimeZone = zone;
        if (input.LevelsOfCare is { } levels) center.LevelsOfCare = levels.Distinct().ToList();
        if (input.Accreditations is { } accreditations) center.Accreditations = accreditations.Distinct().ToList();
        if (input.Languages is { } languages) center.Languages = languages.Distinct().ToList();
        if (input.Populations is { } populations) center.Populations = populations.Distinct().ToList();
        if (input.Conditions is { } conditions) center.Conditions = conditions.Distinct().ToList();
        if (input.AcceptingNewPatients is { } accepting) center.AcceptingNewPatients = accepting;
        if (input.FreeConsultation is { } free) center.FreeConsultation = free;
        if (input.StateLicenseNumber is { } license) center.StateLicenseNumber = license.Length == 0 ? null : license;
    }

    private List<UserError> Apply(IopProgram program, ProgramInput input)
    {
        if (input.Name is { } name) program.Name = name.Trim();
        if (input.Description is { } description) program.Description = description.Length == 0 ? null : description;
        if (input.MinHoursPerWeek is { } minHours) program.MinHoursPerWeek = minHours;
        if (input.MaxHoursPerWeek is { } maxHours) program.MaxHoursPerWeek = maxHours;
        if (input.MinDaysPerWeek is { } minDays) program.MinDaysPerWeek = minDays;
        if (input.MaxDaysPerWeek is { } maxDays) program.MaxDaysPerWeek = maxDays;
        if (input.MinDurationWeeks is { } minWeeks) program.MinDurationWeeks = minWeeks;
        if (input.MaxDurationWeeks is { } maxWeeks) program.MaxDurationWeeks = maxWeeks;
        if (input.MinAge is { } minAge) program.MinAge = minAge;
        if (input.MaxAge is { } maxAge) program.MaxAge = maxAge;
        if (input.StepsDown is { } stepsDown) program.StepsDown = stepsDown;
        if (input.InPerson is { } inPerson) program.InPerson = inPerson;
        if (input.Telehealth is { } telehealth) program.Telehealth = telehealth;
        if (input.Services is { } services) program.ServiceCodes = services.Distinct().ToList();
        if (input.Tracks is not { } tracks) return [];

        var errors = new List<UserError>();
        var replacement = new List<Track>();
        for (var i = 0; i < tracks.Count; i++)
        {
            var sessions = new List<TrackSession>();
            for (var j = 0; j < tracks[i].Sessions.Count; j++)
            {
                var s = tracks[i].Sessions[j];
                if (!TryParseClock(s.StartsAt, out var starts) || !TryParseClock(s.EndsAt, out var ends))
                {
                    errors.Add(new($"tracks[{i}].sessions[{j}]", "Times are 24-hour HH:mm, e.g. 18:00.", "INVALID_TIME"));
                    continue;
                }
                sessions.Add(new TrackSession { Weekday = s.Weekday, StartsAt = starts, EndsAt = ends });
            }
            replacement.Add(new Track { ProgramId = program.Id, Kind = tracks[i].Kind, Sessions = sessions });
        }
        if (tracks.GroupBy(t => t.Kind).Any(g => g.Count() > 1))
            errors.Add(new("tracks", "A program has at most one track of each kind.", "DUPLICATE_TRACK"));
        if (errors.Count > 0) return errors;

        foreach (var old in program.Tracks) db.TrackSessions.RemoveRange(old.Sessions);
        db.Tracks.RemoveRange(program.Tracks);
        program.Tracks.Clear();
        program.Tracks.AddRange(replacement);
        return [];
    }

    /// <summary>Replaces a child list, keeping the rows that stay the same (so the audit shows only what changed).</summary>
    private void Replace<T>(List<T> current, List<T> replacement, Func<T, T, bool> same) where T : class
    {
        var keep = current.Where(c => replacement.Any(r => same(c, r))).ToList();
        foreach (var gone in current.Except(keep).ToList())
        {
            current.Remove(gone);
            db.Remove(gone);
        }
        current.AddRange(replacement.Where(r => !keep.Any(k => same(k, r))));
    }
}
