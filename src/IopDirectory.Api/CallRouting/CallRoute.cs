using IopDirectory.Data;

namespace IopDirectory.CallRouting;

/// <summary>What a displayed number is.</summary>
public enum DisplayedNumberKind
{
    /// <summary>The centre's own line.</summary>
    FacilityLine,

    /// <summary>A number owned by the directory or a partner that forwards to a destination, for attribution.</summary>
    TrackingNumber,

    /// <summary>The directory's general helpline, answered by the directory or a partner network.</summary>
    DirectoryHotline,
}

public enum RouteDestinationKind
{
    /// <summary>The intake line of a centre.</summary>
    Facility,

    /// <summary>A named network of partner providers or a call centre.</summary>
    PartnerNetwork,
}

/// <summary>
/// A number shown to the public and where calls to it go. The trust rules live here: a number shown
/// on a centre's listing rings that centre; paid placement and anything that rings elsewhere is disclosed.
/// </summary>
public sealed class CallRoute : IValidatable
{
    public int Id { get; set; }

    /// <summary>The listing the number is displayed on; null for a directory-wide number.</summary>
    public int? CenterId { get; set; }

    /// <summary>The number shown, E.164.</summary>
    public required string Number { get; set; }
    public DisplayedNumberKind Kind { get; set; }

    public RouteDestinationKind DestinationKind { get; set; }
    public int? DestinationCenterId { get; set; }
    public string? PartnerNetworkName { get; set; }

    /// <summary>The line that rings, E.164.</summary>
    public required string DestinationNumber { get; set; }

    /// <summary>True when answered 24/7; otherwise <see cref="Hours"/> apply in <see cref="AnswerTimeZone"/>.</summary>
    public bool AnsweredAllHours { get; set; }
    public required string AnswerTimeZone { get; set; }
    public List<AnswerHours> Hours { get; set; } = [];

    /// <summary>Where calls go outside <see cref="Hours"/> (voicemail line, the 24/7 hotline...).</summary>
    public string? AfterHoursNumber { get; set; }
    public string? AfterHoursLabel { get; set; }

    public bool IsPaidPlacement { get; set; }

    /// <summary>Shown beside the number: who answers, and whether the listing is paid.</summary>
    public string? Disclosure { get; set; }
    public bool CallbacksOffered { get; set; }

    /// <summary>The partner this tracking number attributes calls to; shown only to that partner (see Partners/PartnerAttribution).</summary>
    public int? PartnerId { get; set; }

    public IEnumerable<ValidationError> Validate()
    {
        if (PartnerId is not null && (Kind != DisplayedNumberKind.TrackingNumber || CenterId is null))
            yield return new("callRoutes.partnerId", "A partner's number is a tracking number on one centre's listing.", "INVALID_ROUTE");
        if (!Rules.IsE164(Number))
            yield return new("callRoutes.number", $"'{Number}' is not a valid phone number in E.164 form.", "INVALID_PHONE");
        if (!Rules.IsE164(DestinationNumber))
            yield return new("callRoutes.destinationNumber", $"'{DestinationNumber}' is not a valid phone number in E.164 form.", "INVALID_PHONE");
        if (AfterHoursNumber is not null && !Rules.IsE164(AfterHoursNumber))
            yield return new("callRoutes.afterHoursNumber", $"'{AfterHoursNumber}' is not a valid phone number in E.164 form.", "INVALID_PHONE");
        if (!Rules.IsTimeZone(AnswerTimeZone))
            yield return new("callRoutes.answerTimeZone", $"'{AnswerTimeZone}' is not an IANA time zone.", "INVALID_TIME_ZONE");

        var showsCentre = CenterId is not null && Kind != DisplayedNumberKind.DirectoryHotline;
        if (showsCentre && (DestinationKind != RouteDestinationKind.Facility || DestinationCenterId != CenterId))
            yield return new("callRoutes.destination",
                "A number displayed with a centre's name must route to that centre's own line.", "ROUTES_AWAY_FROM_LISTING");
        if (Kind == DisplayedNumberKind.FacilityLine && CenterId is null)
            yield return new("callRoutes.centerId", "A facility line belongs to a centre's listing.", "INVALID_ROUTE");
        if (DestinationKind == RouteDestinationKind.Facility && DestinationCenterId is null)
            yield return new("callRoutes.destinationCenterId", "A route to a facility names the centre.", "INVALID_ROUTE");
        if (DestinationKind == RouteDestinationKind.PartnerNetwork && string.IsNullOrWhiteSpace(PartnerNetworkName))
            yield return new("callRoutes.partnerNetworkName", "A route to a partner network names the network.", "INVALID_ROUTE");
        if ((IsPaidPlacement || DestinationKind == RouteDestinationKind.PartnerNetwork) && string.IsNullOrWhiteSpace(Disclosure))
            yield return new("callRoutes.disclosure",
                "Paid placements and numbers answered by a partner network must carry a disclosure.", "MISSING_DISCLOSURE");
        if (!AnsweredAllHours && Hours.Count == 0)
            yield return new("callRoutes.hours", "A line not answered 24/7 needs its answering hours.", "INVALID_SCHEDULE");
        foreach (var hours in Hours.Where(h => h.ClosesAt <= h.OpensAt))
            yield return new("callRoutes.hours", $"Hours on {hours.Weekday} close before they open.", "INVALID_SCHEDULE");
    }
}

/// <summary>A weekly window in which a routed line is answered, in the answering party's time zone.</summary>
public sealed class AnswerHours
{
    public int Id { get; set; }
    public int CallRouteId { get; set; }
    public DayOfWeek Weekday { get; set; }
    public TimeOnly OpensAt { get; set; }
    public TimeOnly ClosesAt { get; set; }
}
