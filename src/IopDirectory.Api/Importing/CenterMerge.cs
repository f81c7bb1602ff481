using System.Globalization;
using System.Text;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using NetTopologySuite.Geometries;

namespace IopDirectory.Importing;

/// <summary>
/// The parts of a centre a source speaks for. An import compares and writes only these: what a source does not give
/// (SAMHSA has no programs, carriers or hours) is never overwritten with nothing, so editors' additions survive a
/// re-import. HSDS files from this directory carry everything.
/// </summary>
[Flags]
public enum Owned
{
    None = 0,

    /// <summary>The centre's name.</summary>
    Name = 1,

    /// <summary>Street lines, city, state and postal code (the county is separate: not every source gives it).</summary>
    Address = 2,
    County = 4,

    /// <summary>The coordinates.</summary>
    Location = 8,
    Website = 16,

    /// <summary>The centre's own lines (main, intake).</summary>
    Phones = 32,

    /// <summary>Levels of care, payer types, populations, languages, accreditations, conditions.</summary>
    CareFacts = 64,

    /// <summary>Every fact and every child record: programs, tracks, sessions, carriers, call routes, verification.</summary>
    Everything = ~0,
}

/// <summary>Compares and copies the <see cref="Owned"/> parts of centres.</summary>
public static class CenterMerge
{
    /// <summary>
    /// A canonical text of the owned parts: equal texts mean nothing would change. Child records are compared as sets
    /// (their order in the database is not a fact); database ids, <see cref="Center.Version"/> and
    /// <see cref="Center.UpdatedAt"/> are bookkeeping and left out. A call route that rings its own centre reads "self".
    /// </summary>
    public static string Facts(Center c, Owned owned)
    {
        var text = new StringBuilder();
        void Line(string name, object? value) => text.Append(name).Append('=').Append(Format(value)).Append('\n');

        if (owned.HasFlag(Owned.Name)) Line("name", c.Name);
        if (owned.HasFlag(Owned.Address))
        {
            Line("street1", c.Address.Street1);
            Line("street2", c.Address.Street2);
            Line("city", c.Address.City);
            Line("state", c.Address.State);
            Line("postalCode", c.Address.PostalCode);
        }
        if (owned.HasFlag(Owned.County)) Line("county", c.Address.County);
        if (owned.HasFlag(Owned.Location)) Line("location", c.Location);
        if (owned.HasFlag(Owned.Website)) Line("website", c.Website);
        if (owned.HasFlag(Owned.Phones)) Line("phones", Sorted(c.Phones.Select(p => $"{p.Kind}|{p.Number}|{p.Extension}")));
        if (owned.HasFlag(Owned.CareFacts))
        {
            Line("levelsOfCare", c.LevelsOfCare);
            Line("payerTypes", c.PayerTypes);
            Line("populations", c.Populations);
            Line("languages", c.Languages);
            Line("accreditations", c.Accreditations);
            Line("conditions", c.Conditions);
        }
        if (owned != Owned.Everything) return text.ToString();

        Line("description", c.Description);
        Line("timeZone", c.TimeZone);
        Line("acceptingNewPatients", c.AcceptingNewPatients);
        Line("stateLicenseNumber", c.StateLicenseNumber);
        Line("serviceArea", c.ServiceArea);
        Line("freeConsultation", c.FreeConsultation);
        Line("lastVerifiedAt", c.LastVerifiedAt);
        Line("verificationSource", c.VerificationSource);
        Line("retiredAt", c.RetiredAt);
        Line("insurancePlans", Sorted(c.InsurancePlans.Select(p => $"{p.CarrierCode}|{p.PlanName}")));
        Line("programs", Sorted(c.Programs.Select(ProgramFacts)));
        Line("callRoutes", Sorted(c.CallRoutes.Select(r => RouteFacts(r, c.Id))));
        return text.ToString();
    }

    public static string ProgramFacts(IopProgram p) => string.Join("|",
        p.Name, p.Description, Format(p.MinHoursPerWeek), Format(p.MaxHoursPerWeek), Format(p.MinDaysPerWeek), Format(p.MaxDaysPerWeek),
        Format(p.MinDurationWeeks), Format(p.MaxDurationWeeks), Format(p.StepsDown), Format(p.Telehealth), Format(p.InPerson),
        Format(p.MinAge), Format(p.MaxAge), Format(p.ServiceCodes),
        Sorted(p.Tracks.Select(t => $"{t.Kind}:{Sorted(t.Sessions.Select(s => $"{s.Weekday} {Format(s.StartsAt)}-{Format(s.EndsAt)}"))}")));

    /// <summary>A route's facts; its destination reads "self" when it rings the listing it is shown on (or will, once saved).</summary>
    public static string RouteFacts(CallRoute r, int ownerId) => string.Join("|",
        r.Number, r.Kind, r.DestinationKind,
        r.DestinationKind != RouteDestinationKind.Facility ? "" : r.DestinationCenterId is null || r.DestinationCenterId == ownerId ? "self" : Format(r.DestinationCenterId),
        r.PartnerNetworkName, r.DestinationNumber, Format(r.AnsweredAllHours), r.AnswerTimeZone,
        Sorted(r.Hours.Select(h => $"{h.Weekday} {Format(h.OpensAt)}-{Format(h.ClosesAt)}")),
        r.AfterHoursNumber, r.AfterHoursLabel, Format(r.IsPaidPlacement), r.Disclosure, Format(r.CallbacksOffered));

    /// <summary>
    /// Copies the owned parts of <paramref name="source"/> (not tracked) onto <paramref name="target"/> (tracked), touching
    /// only what differs so the audit trail records real changes. Call routes are matched by number and updated in
    /// place (routing decisions refer to them); new routes that ring their own centre get <paramref name="target"/>'s id.
    /// </summary>
    public static void Apply(DirectoryDbContext db, Center target, Center source, Owned owned)
    {
        if (owned.HasFlag(Owned.Name)) target.Name = source.Name;
        if (owned.HasFlag(Owned.Address))
        {
            target.Address.Street1 = source.Address.Street1;
            target.Address.Street2 = source.Address.Street2;
            target.Address.City = source.Address.City;
            target.Address.State = source.Address.State;
            target.Address.PostalCode = source.Address.PostalCode;
        }
        if (owned.HasFlag(Owned.County)) target.Address.County = source.Address.County;
        if (owned.HasFlag(Owned.Location) && Format(target.Location) != Format(source.Location)) target.Location = source.Location;
        if (owned.HasFlag(Owned.Website)) target.Website = source.Website;
        if (owned.HasFlag(Owned.Phones))
            ReplaceIfDifferent(db, target.Phones, source.Phones, p => $"{p.Kind}|{p.Number}|{p.Extension}");
        if (owned.HasFlag(Owned.CareFacts))
        {
            SetList(target.LevelsOfCare, source.LevelsOfCare, list => target.LevelsOfCare = list);
            SetList(target.PayerTypes, source.PayerTypes, list => target.PayerTypes = list);
            SetList(target.Populations, source.Populations, list => target.Populations = list);
            SetList(target.Languages, source.Languages, list => target.Languages = list);
            SetList(target.Accreditations, source.Accreditations, list => target.Accreditations = list);
            SetList(target.Conditions, source.Conditions, list => target.Conditions = list);
        }
        if (owned != Owned.Everything) return;

        target.Description = source.Description;
        target.TimeZone = source.TimeZone;
        target.AcceptingNewPatients = source.AcceptingNewPatients;
        target.StateLicenseNumber = source.StateLicenseNumber;
        if (Format(target.ServiceArea) != Format(source.ServiceArea)) target.ServiceArea = source.ServiceArea;
        target.FreeConsultation = source.FreeConsultation;
        target.LastVerifiedAt = source.LastVerifiedAt;
        target.VerificationSource = source.VerificationSource;
        target.RetiredAt = source.RetiredAt;
        ReplaceIfDifferent(db, target.InsurancePlans, source.InsurancePlans, p => $"{p.CarrierCode}|{p.PlanName}");
        ReplaceIfDifferent(db, target.Programs, source.Programs, ProgramFacts);
        ApplyRoutes(db, target, source.CallRoutes);
    }

    internal static void ApplyRoutes(DirectoryDbContext db, Center target, List<CallRoute> routes)
    {
        var incoming = routes.ToDictionary(r => r.Number);
        foreach (var current in target.CallRoutes.ToList())
        {
            if (!incoming.Remove(current.Number, out var update))
            {
                db.CallRoutes.Remove(current);
                continue;
            }
            if (RouteFacts(current, target.Id) == RouteFacts(update, target.Id)) continue;
            current.Kind = update.Kind;
            current.DestinationKind = update.DestinationKind;
            current.DestinationCenterId = update.DestinationKind == RouteDestinationKind.Facility ? update.DestinationCenterId ?? target.Id : null;
            current.PartnerNetworkName = update.PartnerNetworkName;
            current.DestinationNumber = update.DestinationNumber;
            current.AnsweredAllHours = update.AnsweredAllHours;
            current.AnswerTimeZone = update.AnswerTimeZone;
            current.AfterHoursNumber = update.AfterHoursNumber;
            current.AfterHoursLabel = update.AfterHoursLabel;
            current.IsPaidPlacement = update.IsPaidPlacement;
            current.Disclosure = update.Disclosure;
            current.CallbacksOffered = update.CallbacksOffered;
            ReplaceIfDifferent(db, current.Hours, update.Hours, h => $"{h.Weekday} {Format(h.OpensAt)}-{Format(h.ClosesAt)}");
        }
        foreach (var route in incoming.Values)
        {
            if (route.DestinationKind == RouteDestinationKind.Facility) route.DestinationCenterId ??= target.Id;
            target.CallRoutes.Add(route);
        }
    }

    private static void ReplaceIfDifferent<T>(DirectoryDbContext db, List<T> current, List<T> replacement, Func<T, string> facts) where T : class
    {
        if (Sorted(current.Select(facts)) == Sorted(replacement.Select(facts))) return;
        foreach (var old in current) db.Remove(old);
        current.Clear();
        current.AddRange(replacement);
    }

    private static void SetList<T>(List<T> current, List<T> replacement, Action<List<T>> set)
    {
        if (!current.SequenceEqual(replacement)) set([.. replacement]);
    }

    private static string Sorted(IEnumerable<string> items) => "[" + string.Join(";", items.Order(StringComparer.Ordinal)) + "]";

    /// <summary>Invariant, round-trippable text of a value (doubles in their shortest exact form, decimals without trailing zeros).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.############################", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        Point p => $"{Format(p.Y)},{Format(p.X)}",
        MultiPolygon m => string.Join(" / ", m.Geometries.Cast<Polygon>().Select(polygon =>
            string.Join(" | ", new[] { polygon.Shell }.Concat(polygon.Holes).Select(ring =>
                string.Join(" ", ring.Coordinates.Select(c => $"{Format(c.X)},{Format(c.Y)}")))))),
        Geometry g => g.AsText(),
        System.Collections.IEnumerable list => string.Join(",", list.Cast<object?>().Select(Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
