using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Search;
using IopDirectory.Taxonomy;

namespace IopDirectory.Editing;

/// <summary>A centre's own facts. On update, a null field stays as it is; an empty string clears an optional text.</summary>
public sealed class CenterInput
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Website { get; set; }
    public AddressInput? Address { get; set; }
    public GeoPointInput? Location { get; set; }
    public string? TimeZone { get; set; }
    public List<LevelOfCare>? LevelsOfCare { get; set; }
    public List<Accreditation>? Accreditations { get; set; }
    public List<string>? Languages { get; set; }
    public List<Population>? Populations { get; set; }
    public List<Condition>? Conditions { get; set; }
    public bool? AcceptingNewPatients { get; set; }
    public bool? FreeConsultation { get; set; }
    public string? StateLicenseNumber { get; set; }
}

public sealed class AddressInput
{
    public string Street1 { get; set; } = "";
    public string? Street2 { get; set; }
    public string City { get; set; } = "";
    public string State { get; set; } = "";
    public string PostalCode { get; set; } = "";
    public string? County { get; set; }
}

public sealed class PhoneInput
{
    public PhoneKind Kind { get; set; }
    public string Number { get; set; } = "";
    public string? Extension { get; set; }
}

public sealed class InsuranceInput
{
    public List<PayerType> PayerTypes { get; set; } = [];
    public List<string> Carriers { get; set; } = [];
}

/// <summary>A program's facts; <see cref="ProgramId"/> null creates one. Null fields stay as they are; tracks, when given, replace all tracks.</summary>
public sealed class ProgramInput
{
    public string? ProgramId { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public decimal? MinHoursPerWeek { get; set; }
    public decimal? MaxHoursPerWeek { get; set; }
    public int? MinDaysPerWeek { get; set; }
    public int? MaxDaysPerWeek { get; set; }
    public int? MinDurationWeeks { get; set; }
    public int? MaxDurationWeeks { get; set; }
    public int? MinAge { get; set; }
    public int? MaxAge { get; set; }
    public bool? StepsDown { get; set; }
    public bool? InPerson { get; set; }
    public bool? Telehealth { get; set; }
    public List<string>? Services { get; set; }
    public List<TrackInput>? Tracks { get; set; }
}

public sealed class TrackInput
{
    public TrackKind Kind { get; set; }
    public List<SessionInput> Sessions { get; set; } = [];
}

public sealed class SessionInput
{
    public DayOfWeek Weekday { get; set; }
    public string StartsAt { get; set; } = "";
    public string EndsAt { get; set; } = "";
}

/// <summary>A number displayed on the centre's listing and where calls to it go. <see cref="RouteId"/> null creates one.</summary>
public sealed class CallRouteInput
{
    public string? RouteId { get; set; }
    public string Number { get; set; } = "";
    public DisplayedNumberKind Kind { get; set; }
    public RouteDestinationKind DestinationKind { get; set; }
    public string? PartnerNetworkName { get; set; }
    public string DestinationNumber { get; set; } = "";
    public bool AnsweredAllHours { get; set; }
    public string AnswerTimeZone { get; set; } = "";
    public List<HoursInput> Hours { get; set; } = [];
    public string? AfterHoursNumber { get; set; }
    public string? AfterHoursLabel { get; set; }
    public bool IsPaidPlacement { get; set; }
    public string? Disclosure { get; set; }
    public bool CallbacksOffered { get; set; }
}

public sealed class HoursInput
{
    public DayOfWeek Weekday { get; set; }
    public string OpensAt { get; set; } = "";
    public string ClosesAt { get; set; } = "";
}
