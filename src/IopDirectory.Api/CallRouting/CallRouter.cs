using NodaTime;

namespace IopDirectory.CallRouting;

/// <summary>Where a call to a displayed number goes at an instant, and why.</summary>
public sealed record RouteResolution(CallRoute Route, Instant At, ZonedDateTime LocalTime, string DestinationNumber, RoutingRule Rule)
{
    /// <summary>True when a person is expected to answer (24/7, inside hours, or a fallback line).</summary>
    public bool Answered => Rule != RoutingRule.OutsideHoursNoFallback;
}

/// <summary>
/// The routing rules, in the answering party's own time zone (NodaTime's TZDB, so daylight-saving
/// changes fall where they really do). Sponsorship is not an input: only the route's hours decide.
/// </summary>
public static class CallRouter
{
    public static RouteResolution Resolve(CallRoute route, Instant at)
    {
        var zone = DateTimeZoneProviders.Tzdb[route.AnswerTimeZone];
        var local = at.InZone(zone);
        if (route.AnsweredAllHours)
            return new(route, at, local, route.DestinationNumber, RoutingRule.AllHours);
        if (IsWithinHours(route.Hours, local.LocalDateTime))
            return new(route, at, local, route.DestinationNumber, RoutingRule.BusinessHours);
        return route.AfterHoursNumber is { } fallback
            ? new(route, at, local, fallback, RoutingRule.AfterHoursFallback)
            : new(route, at, local, route.DestinationNumber, RoutingRule.OutsideHoursNoFallback);
    }

    public static bool IsWithinHours(IEnumerable<AnswerHours> hours, LocalDateTime local)
    {
        var weekday = ToDayOfWeek(local.DayOfWeek);
        var time = new TimeOnly(local.Hour, local.Minute, local.Second);
        return hours.Any(h => h.Weekday == weekday && h.OpensAt <= time && time < h.ClosesAt);
    }

    public static DayOfWeek ToDayOfWeek(IsoDayOfWeek day) => day == IsoDayOfWeek.Sunday ? DayOfWeek.Sunday : (DayOfWeek)(int)day;
}
