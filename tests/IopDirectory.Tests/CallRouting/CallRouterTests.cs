using IopDirectory.CallRouting;
using NodaTime;

namespace IopDirectory.Tests.CallRouting;

/// <summary>The routing rules in the answering party's time zone, across daylight-saving changes.</summary>
public sealed class CallRouterTests
{
    private static CallRoute Route(string zone, string? fallback = "+18005550111") => new()
    {
        Number = "+12125550142",
        DestinationNumber = "+12125550143",
        Kind = DisplayedNumberKind.FacilityLine,
        CenterId = 1,
        DestinationCenterId = 1,
        AnswerTimeZone = zone,
        AfterHoursNumber = fallback,
        AfterHoursLabel = "24/7 helpline",
        Hours =
        [
            // Sunday 00:00-02:00 local and weekdays 09:00-17:00.
            new AnswerHours { Weekday = DayOfWeek.Sunday, OpensAt = new(0, 0), ClosesAt = new(2, 0) },
            .. Enumerable.Range(1, 5).Select(d => new AnswerHours { Weekday = (DayOfWeek)d, OpensAt = new(9, 0), ClosesAt = new(17, 0) }),
        ],
    };

    private static Instant Utc(int year, int month, int day, int hour, int minute) => Instant.FromUtc(year, month, day, hour, minute);

    [Fact]
    public void Both_one_thirties_of_the_autumn_change_over_are_inside_sunday_hours()
    {
        // 1 November 2026, New York: 01:30 EDT is 05:30Z and 01:30 EST is 06:30Z.
        var route = Route("America/New_York");
        var first = CallRouter.Resolve(route, Utc(2026, 11, 1, 5, 30));
        var second = CallRouter.Resolve(route, Utc(2026, 11, 1, 6, 30));

        Assert.Equal(new LocalDateTime(2026, 11, 1, 1, 30), first.LocalTime.LocalDateTime);
        Assert.Equal(new LocalDateTime(2026, 11, 1, 1, 30), second.LocalTime.LocalDateTime);
        Assert.Equal(Offset.FromHours(-4), first.LocalTime.Offset);
        Assert.Equal(Offset.FromHours(-5), second.LocalTime.Offset);
        Assert.All([first, second], r =>
        {
            Assert.Equal(RoutingRule.BusinessHours, r.Rule);
            Assert.Equal("+12125550143", r.DestinationNumber);
        });
    }

    [Fact]
    public void After_the_repeated_hour_the_call_goes_to_the_fallback()
    {
        // 07:00Z on 1 November 2026 is 02:00 EST: Sunday hours have closed.
        var resolution = CallRouter.Resolve(Route("America/New_York"), Utc(2026, 11, 1, 7, 0));
        Assert.Equal(new LocalTime(2, 0), resolution.LocalTime.TimeOfDay);
        Assert.Equal(RoutingRule.AfterHoursFallback, resolution.Rule);
        Assert.Equal("+18005550111", resolution.DestinationNumber);
        Assert.True(resolution.Answered);
    }

    [Fact]
    public void The_same_instant_routes_differently_in_a_zone_without_daylight_saving()
    {
        // 16:30Z on Monday 9 March 2026: 12:30 EDT in New York (open), 09:30 MST in Phoenix (open);
        // 00:30Z on Tuesday 10 March: 20:30 EDT Monday (closed), 17:30 MST Monday (closed).
        Assert.Equal(RoutingRule.BusinessHours, CallRouter.Resolve(Route("America/Phoenix"), Utc(2026, 3, 9, 16, 30)).Rule);
        Assert.Equal(RoutingRule.AfterHoursFallback, CallRouter.Resolve(Route("America/Phoenix"), Utc(2026, 3, 10, 0, 30)).Rule);
        // 16:05Z on 9 March: 09:05 MST (open) but 12:05 EDT (open) — and 13:30Z: 06:30 MST (closed), 09:30 EDT (open).
        Assert.Equal(RoutingRule.AfterHoursFallback, CallRouter.Resolve(Route("America/Phoenix"), Utc(2026, 3, 9, 13, 30)).Rule);
        Assert.Equal(RoutingRule.BusinessHours, CallRouter.Resolve(Route("America/New_York"), Utc(2026, 3, 9, 13, 30)).Rule);
    }

    [Fact]
    public void The_spring_gap_moves_forward_an_hour()
    {
        // 8 March 2026, 07:30Z is 03:30 EDT: 02:30 never happens in New York that day.
        var resolution = CallRouter.Resolve(Route("America/New_York"), Utc(2026, 3, 8, 7, 30));
        Assert.Equal(new LocalTime(3, 30), resolution.LocalTime.TimeOfDay);
        Assert.Equal(RoutingRule.AfterHoursFallback, resolution.Rule);
    }

    [Fact]
    public void Without_a_fallback_a_closed_line_is_reported_as_unanswered()
    {
        var resolution = CallRouter.Resolve(Route("America/Chicago", fallback: null), Utc(2026, 6, 6, 18, 0)); // Saturday
        Assert.Equal(RoutingRule.OutsideHoursNoFallback, resolution.Rule);
        Assert.False(resolution.Answered);
        Assert.Equal("+12125550143", resolution.DestinationNumber);
    }

    [Fact]
    public void A_line_answered_around_the_clock_ignores_its_hours()
    {
        var route = Route("America/Chicago");
        route.AnsweredAllHours = true;
        Assert.Equal(RoutingRule.AllHours, CallRouter.Resolve(route, Utc(2026, 6, 6, 18, 0)).Rule);
    }

    [Fact]
    public void Paid_placement_is_not_an_input_to_routing()
    {
        var paid = Route("America/New_York");
        paid.IsPaidPlacement = true;
        var unpaid = Route("America/New_York");
        foreach (var at in new[] { Utc(2026, 11, 1, 5, 30), Utc(2026, 11, 1, 7, 0), Utc(2026, 3, 9, 16, 30) })
        {
            var a = CallRouter.Resolve(paid, at);
            var b = CallRouter.Resolve(unpaid, at);
            Assert.Equal((b.DestinationNumber, b.Rule), (a.DestinationNumber, a.Rule));
        }
    }
}
