using System.Globalization;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Search;
using IopDirectory.Taxonomy;

namespace IopDirectory.Matching;

/// <summary>The requirements that exclude a program and track (each can be suggested for dropping).</summary>
public enum HardRequirement
{
    Insurance,
    Schedule,
    Age,
    Distance,
}

/// <summary>A need met (a reason) or not met (a gap), with the points it adds to the score.</summary>
public sealed record MatchReason(string Code, string Message, int Points, bool HardRequirement);

/// <summary>A weekly window the caller can attend, parsed.</summary>
public sealed record Window(DayOfWeek Weekday, TimeOnly From, TimeOnly Until);

/// <summary>A caller's needs, checked and normalised (see <see cref="CallerMatcher.Check"/>).</summary>
public sealed record Needs(
    NetTopologySuite.Geometries.Point Origin,
    CallerOrigin Described,
    DistanceInput MaxDistance,
    bool TelehealthOk,
    PayerType? Payer,
    string? Carrier,
    IReadOnlySet<TrackKind>? Tracks,
    IReadOnlyList<Window>? Windows,
    IReadOnlyList<string> Services,
    int? Age,
    IReadOnlyList<Population> Populations,
    string? Language,
    IReadOnlyList<Condition> Conditions,
    bool SteppingDown,
    NodaTime.Instant At,
    int First)
{
    public double MaxMeters => MaxDistance.Meters;
    public bool HasInsurance => Payer is not null || Carrier is not null;
    public bool HasSchedule => Tracks is not null || Windows is not null;

    /// <summary>The hard requirements the caller gave, in enum order (distance always applies).</summary>
    public IEnumerable<HardRequirement> Given()
    {
        if (HasInsurance) yield return HardRequirement.Insurance;
        if (HasSchedule) yield return HardRequirement.Schedule;
        if (Age is not null) yield return HardRequirement.Age;
        yield return HardRequirement.Distance;
    }
}

/// <summary>A candidate centre as the candidate query returns it.</summary>
public sealed record Candidate(Center Center, double Meters, bool ServiceAreaCovers, bool InCarrierNetwork);

/// <summary>The hard requirements a program and track misses, as flags (cheap: no messages).</summary>
[Flags]
public enum Misses
{
    None = 0,
    Distance = 1,
    Insurance = 2,
    Schedule = 4,
    Age = 8,
}

/// <summary>How one program and track measures up to the hard requirements, with the sentences.</summary>
public sealed record HardEvaluation(IReadOnlyList<MatchReason> Met, IReadOnlyList<(HardRequirement Requirement, MatchReason Reason)> Failed, bool ViaTelehealth)
{
    public bool Passes => Failed.Count == 0;
}

/// <summary>
/// The scoring table (documented in README.md beside this file). Deterministic: integer points from the
/// caller's needs and the listing's facts only. Paid placement is not an input anywhere here.
/// </summary>
public static class MatchScoring
{
    public const int AcceptingNewPatients = 20;
    public const int Language = 15;
    public const int Service = 10;
    public const int IntakeAnswered = 10;
    public const int StepDown = 10;
    public const int Population = 8;
    public const int Condition = 6;
    public const int WithinFiveMiles = 15;
    public const int WithinTenMiles = 10;
    public const int WithinTwentyFiveMiles = 5;

    public static int DistancePoints(double meters) =>
        meters <= 5 * Distances.MetersPerMile ? WithinFiveMiles
        : meters <= 10 * Distances.MetersPerMile ? WithinTenMiles
        : meters <= 25 * Distances.MetersPerMile ? WithinTwentyFiveMiles
        : 0;

    /// <summary>The hard requirements one program and track misses; <paramref name="maxMeters"/> is the travel limit applied.</summary>
    public static Misses Check(Needs needs, Candidate candidate, IopProgram program, Track track, double maxMeters)
    {
        var misses = Misses.None;
        var (inPerson, telehealth) = Reach(needs, candidate, program, maxMeters);
        if (!inPerson && !telehealth) misses |= Misses.Distance;
        if (needs.HasInsurance && !(PayerOk(needs, candidate) && CarrierOk(needs, candidate))) misses |= Misses.Insurance;
        if (needs.HasSchedule && !(KindOk(needs, track) && WindowsOk(needs, track))) misses |= Misses.Schedule;
        if (needs.Age is { } age && !AgeOk(program, age)) misses |= Misses.Age;
        return misses;
    }

    /// <summary>
    /// Distance (reach): in person within the limit, or by telehealth when the caller accepts it and the
    /// program is within the limit or the centre's service area covers the caller.
    /// </summary>
    public static (bool InPerson, bool Telehealth) Reach(Needs needs, Candidate candidate, IopProgram program, double maxMeters)
    {
        var within = candidate.Meters <= maxMeters;
        return (program.InPerson && within, needs.TelehealthOk && program.Telehealth && (within || candidate.ServiceAreaCovers));
    }

    private static bool PayerOk(Needs needs, Candidate candidate) => needs.Payer is not { } payer || candidate.Center.PayerTypes.Contains(payer);

    private static bool CarrierOk(Needs needs, Candidate candidate) => needs.Carrier is null || candidate.InCarrierNetwork;

    private static bool KindOk(Needs needs, Track track) => needs.Tracks is null || needs.Tracks.Contains(track.Kind);

    /// <summary>Every session fits inside one window (same weekday, from &lt;= start, end &lt;= until).</summary>
    private static bool WindowsOk(Needs needs, Track track) => needs.Windows is null || track.Sessions.All(s => needs.Windows.Any(w =>
        w.Weekday == s.Weekday && w.From <= s.StartsAt && s.EndsAt <= w.Until));

    private static bool AgeOk(IopProgram program, int age) => (program.MinAge ?? 0) <= age && age <= (program.MaxAge ?? 200);

    /// <summary>The same test as <see cref="Check"/>, with a sentence for each requirement met or missed.</summary>
    public static HardEvaluation Hard(Needs needs, Candidate candidate, IopProgram program, Track track, double maxMeters)
    {
        var met = new List<MatchReason>();
        var failed = new List<(HardRequirement, MatchReason)>();

        var within = candidate.Meters <= maxMeters;
        var (inPerson, telehealth) = Reach(needs, candidate, program, maxMeters);
        var limit = Describe(needs.MaxDistance);
        if (inPerson)
        {
            met.Add(new("DISTANCE", $"{Miles(candidate.Meters)} away, within the caller's {limit}.", DistancePoints(candidate.Meters), true));
        }
        else if (telehealth)
        {
            met.Add(new("TELEHEALTH", within
                ? $"By telehealth ({Miles(candidate.Meters)} away, within the caller's {limit})."
                : $"By telehealth: the centre's service area covers the caller ({Miles(candidate.Meters)} away).", 0, true));
        }
        else
        {
            var why = !program.InPerson && within
                ? "Offered by telehealth only, and the caller has not said telehealth is fine."
                : $"{Miles(candidate.Meters)} away, beyond the caller's {limit}"
                    + (!needs.TelehealthOk ? "." : !program.Telehealth ? "; the program is not offered by telehealth." : "; outside the centre's telehealth service area.");
            failed.Add((HardRequirement.Distance, new("DISTANCE", why, 0, true)));
        }

        if (needs.HasInsurance)
        {
            var payerOk = PayerOk(needs, candidate);
            var carrierOk = CarrierOk(needs, candidate);
            var parts = new List<string>();
            if (needs.Payer is { } p) parts.Add(payerOk ? $"Accepts {Payer(p)}" : $"Does not accept {Payer(p)}");
            if (needs.Carrier is { } c) parts.Add(carrierOk ? $"in network with {Carriers.All[c]}" : $"not in network with {Carriers.All[c]}");
            var message = Capitalize(string.Join("; ", parts)) + ".";
            if (payerOk && carrierOk) met.Add(new("INSURANCE", message, 0, true));
            else failed.Add((HardRequirement.Insurance, new("INSURANCE", message, 0, true)));
        }

        if (needs.HasSchedule)
        {
            var kindOk = KindOk(needs, track);
            var windowsOk = WindowsOk(needs, track);
            var sessions = Sessions(track);
            string message;
            if (kindOk && windowsOk) message = $"{Labels.Of(track.Kind)} ({sessions}) fits the caller's schedule.";
            else if (!kindOk)
                message = $"{Labels.Of(track.Kind)} ({sessions}); the caller can attend "
                    + string.Join(" or ", needs.Tracks!.Order().Select(k => Labels.ConstantCase(k).ToLowerInvariant())) + " tracks only.";
            else message = $"{Labels.Of(track.Kind)} ({sessions}) does not fit inside the caller's availability.";
            if (kindOk && windowsOk) met.Add(new("SCHEDULE", message, 0, true));
            else failed.Add((HardRequirement.Schedule, new("SCHEDULE", message, 0, true)));
        }

        if (needs.Age is { } age)
        {
            var ok = AgeOk(program, age);
            var message = $"Serves {Ages(program)}; the caller is {age}.";
            if (ok) met.Add(new("AGE", message, 0, true));
            else failed.Add((HardRequirement.Age, new("AGE", message, 0, true)));
        }

        return new HardEvaluation(met, failed, !inPerson && telehealth);
    }

    /// <summary>The preferences: reasons (met, with points) and gaps (not met), in the table's order.</summary>
    public static (List<MatchReason> Reasons, List<MatchReason> Gaps) Preferences(Needs needs, Center center, IopProgram program, RouteResolution? transfer)
    {
        var reasons = new List<MatchReason>();
        var gaps = new List<MatchReason>();
        void Add(bool met, MatchReason reason, MatchReason gap) => (met ? reasons : gaps).Add(met ? reason : gap);

        foreach (var code in needs.Services)
        {
            var label = Lower(ServiceCatalog.Find(code)!.Label);
            Add(program.ServiceCodes.Contains(code),
                new($"SERVICE_{code}", $"The program offers {label}.", Service, false),
                new($"SERVICE_{code}", $"The program does not offer {label}.", 0, false));
        }
        foreach (var population in needs.Populations)
        {
            var label = Lower(Labels.Of(population));
            Add(center.Populations.Contains(population),
                new($"POPULATION_{Labels.ConstantCase(population)}", $"Serves {label} specifically.", Population, false),
                new($"POPULATION_{Labels.ConstantCase(population)}", $"Does not list {label} among the populations it serves.", 0, false));
        }
        if (needs.Language is { } language)
        {
            var name = Taxonomy.Languages.All[language];
            Add(center.Languages.Contains(language),
                new("LANGUAGE", $"Offers services in {name}.", Language, false),
                new("LANGUAGE", $"Does not list {name} among its languages.", 0, false));
        }
        foreach (var condition in needs.Conditions)
        {
            var label = Lower(Labels.Of(condition));
            Add(center.Conditions.Contains(condition),
                new($"CONDITION_{Labels.ConstantCase(condition)}", $"Treats {label}.", Condition, false),
                new($"CONDITION_{Labels.ConstantCase(condition)}", $"Does not list {label} among the conditions it treats.", 0, false));
        }
        Add(center.AcceptingNewPatients,
            new("ACCEPTING_NEW_PATIENTS", "Accepting new patients.", AcceptingNewPatients, false),
            new("NOT_ACCEPTING_NEW_PATIENTS", "Not accepting new patients at the moment.", 0, false));
        if (transfer is null)
            gaps.Add(new("NO_ROUTED_LINE", "The listing has no routed facility line: no transfer number; give the caller the listing's phones.", 0, false));
        else
        {
            var local = $"{transfer.LocalTime.LocalDateTime.ToString("ddd HH:mm", CultureInfo.InvariantCulture)} {transfer.Route.AnswerTimeZone}";
            switch (transfer.Rule)
            {
                case RoutingRule.AllHours:
                    reasons.Add(new("INTAKE_OPEN", "Intake answers 24/7.", IntakeAnswered, false));
                    break;
                case RoutingRule.BusinessHours:
                    reasons.Add(new("INTAKE_OPEN", $"Intake answers at this time ({local}).", IntakeAnswered, false));
                    break;
                case RoutingRule.AfterHoursFallback:
                    gaps.Add(new("INTAKE_CLOSED", $"Intake is closed at this time ({local}); the transfer goes to the after-hours line"
                        + (transfer.Route.AfterHoursLabel is { } label ? $" ({label})." : "."), 0, false));
                    break;
                default:
                    gaps.Add(new("INTAKE_CLOSED", $"Intake is closed at this time ({local}) and has no after-hours line: expect voicemail or no answer.", 0, false));
                    break;
            }
        }
        if (needs.SteppingDown)
            Add(program.StepsDown,
                new("STEP_DOWN", "The program steps down in intensity as milestones are met: suited to a step-down from residential care.", StepDown, false),
                new("STEP_DOWN", "The program does not step down in intensity.", 0, false));
        return (reasons, gaps);
    }

    /// <summary>A payer type as it reads after "Accepts".</summary>
    public static string Payer(PayerType payer) => payer switch
    {
        PayerType.PrivateInsurance => "private health insurance",
        PayerType.Military => "military insurance (TRICARE)",
        PayerType.StateFinanced => "state-financed plans",
        PayerType.SelfPay => "self-pay (cash)",
        PayerType.SlidingScale => "a sliding fee scale",
        PayerType.PaymentAssistance => "payment assistance",
        PayerType.Free => "patients free of charge",
        _ => payer.ToString(), // Medicaid, Medicare
    };

    public static string Miles(double meters) => (meters / Distances.MetersPerMile).ToString("0.0", CultureInfo.InvariantCulture) + " miles";

    private static string Describe(DistanceInput distance) =>
        distance.Value.ToString("0.##", CultureInfo.InvariantCulture) + (distance.Unit == DistanceUnit.Miles ? " miles" : " km");

    private static string Ages(IopProgram program) => (program.MinAge, program.MaxAge) switch
    {
        (null or 0, null) => "all ages",
        ({ } min and > 0, null) => $"ages {min} and over",
        (null or 0, { } max) => $"ages up to {max}",
        var (min, max) => $"ages {min}-{max}",
    };

    /// <summary>"Mon, Tue, Thu 18:00-21:00; Sat 09:00-12:00", Monday first.</summary>
    public static string Sessions(Track track) => string.Join("; ", track.Sessions
        .GroupBy(s => (s.StartsAt, s.EndsAt))
        .OrderBy(g => g.Min(s => MondayFirst(s.Weekday))).ThenBy(g => g.Key.StartsAt)
        .Select(g => string.Join(", ", g.Select(s => s.Weekday).Distinct().OrderBy(MondayFirst).Select(d => d.ToString()[..3]))
            + " " + g.Key.StartsAt.ToString("HH:mm", CultureInfo.InvariantCulture) + "-" + g.Key.EndsAt.ToString("HH:mm", CultureInfo.InvariantCulture)));

    public static int MondayFirst(DayOfWeek day) => ((int)day + 6) % 7;

    /// <summary>Lower-cases a label's first letter unless it starts an acronym ("LGBTQ+ groups", "CBT").</summary>
    private static string Lower(string label) =>
        label.Length > 1 && char.IsUpper(label[0]) && !char.IsUpper(label[1]) ? char.ToLowerInvariant(label[0]) + label[1..] : label;

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
