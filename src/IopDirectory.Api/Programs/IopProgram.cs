using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Taxonomy;

namespace IopDirectory.Programs;

/// <summary>An Intensive Outpatient Program run by a centre (ASAM level 2.1).</summary>
public class IopProgram : IValidatable
{
    public int Id { get; set; }
    public int CenterId { get; set; }
    public Center? Center { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    public decimal MinHoursPerWeek { get; set; }
    public decimal MaxHoursPerWeek { get; set; }
    public int MinDaysPerWeek { get; set; }
    public int MaxDaysPerWeek { get; set; }
    public int? MinDurationWeeks { get; set; }
    public int? MaxDurationWeeks { get; set; }

    /// <summary>Intensity tapers as milestones are met.</summary>
    public bool StepsDown { get; set; }
    public bool Telehealth { get; set; }
    public bool InPerson { get; set; } = true;
    public int? MinAge { get; set; }
    public int? MaxAge { get; set; }

    /// <summary>Codes from <see cref="ServiceCatalog"/>.</summary>
    public List<string> ServiceCodes { get; set; } = [];

    public List<Track> Tracks { get; set; } = [];

    public IEnumerable<ValidationError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
            yield return new("programs.name", "A program needs a name of 1 to 200 characters.", "INVALID_NAME");
        if (MinHoursPerWeek <= 0 || MaxHoursPerWeek < MinHoursPerWeek || MaxHoursPerWeek > 60)
            yield return new("programs.hoursPerWeek", "Hours per week must be positive, min <= max, at most 60.", "INVALID_RANGE");
        if (MinDaysPerWeek < 1 || MaxDaysPerWeek < MinDaysPerWeek || MaxDaysPerWeek > 7)
            yield return new("programs.daysPerWeek", "Days per week must be 1 to 7, min <= max.", "INVALID_RANGE");
        if (MinDurationWeeks is < 1 || MaxDurationWeeks < MinDurationWeeks || MaxDurationWeeks > 104)
            yield return new("programs.durationWeeks", "Duration is 1 to 104 weeks, min <= max.", "INVALID_RANGE");
        if (MinAge is < 0 || MaxAge < MinAge || MaxAge > 120)
            yield return new("programs.ageRange", "Ages are 0 to 120, min <= max.", "INVALID_RANGE");
        if (!Telehealth && !InPerson)
            yield return new("programs.telehealth", "A program is delivered in person, by telehealth, or both.", "INVALID_DELIVERY");
        foreach (var code in ServiceCodes.Where(code => !ServiceCatalog.Exists(code)))
            yield return new("programs.serviceCodes", $"'{code}' is not a service code of the taxonomy.", "UNKNOWN_SERVICE");
    }
}

public enum TrackKind
{
    Day,
    Evening,
    Weekend,
}

/// <summary>A schedule variant of a program: day, evening or weekend sessions.</summary>
public sealed class Track : IValidatable
{
    public int Id { get; set; }
    public int ProgramId { get; set; }
    public TrackKind Kind { get; set; }
    public List<TrackSession> Sessions { get; set; } = [];

    public IEnumerable<ValidationError> Validate()
    {
        if (Sessions.Count == 0)
            yield return new("tracks.sessions", "A track has at least one weekly session.", "INVALID_SCHEDULE");
        foreach (var session in Sessions.Where(s => s.EndsAt <= s.StartsAt))
            yield return new("tracks.sessions", $"A session on {session.Weekday} ends before it starts.", "INVALID_SCHEDULE");
        if (Kind == TrackKind.Weekend && Sessions.Any(s => s.Weekday is not (DayOfWeek.Saturday or DayOfWeek.Sunday)))
            yield return new("tracks.sessions", "A weekend track meets on Saturday or Sunday only.", "INVALID_SCHEDULE");
    }
}

/// <summary>A weekly session, in the centre's local time.</summary>
public sealed class TrackSession
{
    public int Id { get; set; }
    public int TrackId { get; set; }
    public DayOfWeek Weekday { get; set; }
    public TimeOnly StartsAt { get; set; }
    public TimeOnly EndsAt { get; set; }
}
