namespace IopDirectory.CallRouting;

/// <summary>Which rule decided where a call goes.</summary>
public enum RoutingRule
{
    /// <summary>The line is answered around the clock.</summary>
    AllHours,

    /// <summary>Inside the answering party's hours, in its own time zone.</summary>
    BusinessHours,

    /// <summary>Outside those hours: the after-hours fallback line.</summary>
    AfterHoursFallback,

    /// <summary>Outside those hours with no fallback: the line rings unanswered (voicemail at best).</summary>
    OutsideHoursNoFallback,
}

/// <summary>
/// One routing decision, kept for audit: the number, the moment, where the call went and why.
/// Deliberately nothing about the caller.
/// </summary>
public sealed class RoutingDecision
{
    public long Id { get; set; }
    public int CallRouteId { get; set; }
    public required string Number { get; set; }
    public DateTimeOffset CallAt { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public required string DestinationNumber { get; set; }
    public RoutingRule Rule { get; set; }
    public int? DestinationCenterId { get; set; }
    public string? PartnerNetworkName { get; set; }
    public bool IsPaidPlacement { get; set; }
}
