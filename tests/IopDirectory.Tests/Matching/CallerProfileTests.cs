using System.Text.Json.Nodes;
using IopDirectory.Tests.Infrastructure;
using static IopDirectory.Tests.Matching.MatchingTestKit;

namespace IopDirectory.Tests.Matching;

/// <summary>
/// Caller profiles against the designed Phoenix metro (phoenix-metro.json). Every expectation was
/// worked out from the fixture and the scoring table (Matching/README.md): distances from the caller
/// (great-circle, PostGIS sphere), which program and track passes each hard requirement, then points.
/// Lines read "centre program/TRACK score | reasons (+points) | gaps | transfer number and rule".
/// </summary>
[Collection(DatabaseCollection.Name)]
public sealed class CallerProfileTests(TestDatabase database)
{
    private async Task<JsonNode> MatchAsync(object input) => await MatchingTestKit.MatchAsync(Api(await PhoenixMetro.SharedAsync(database)), input);

    [Fact]
    public async Task Evening_only_Medicaid_16_year_old()
    {
        // Teen programs with an evening track at Medicaid centres within 25 miles of downtown: Encanto
        // (4.2 mi), Tempe Youth (7.9 mi, not accepting, 24/7 line) and Mesa (14.2 mi, ages 13-18).
        var result = await MatchAsync(new { near = Hub, schedules = new[] { "EVENING" }, payerType = "MEDICAID", age = 16, at = TuesdayAt10 });

        Assert.Equal(
        [
            "C02 Teen Evening IOP/EVENING 45 | DISTANCE+15 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550102 BUSINESS_HOURS",
            "C04 Adolescent IOP/EVENING 35 | DISTANCE+5 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +14805550104 BUSINESS_HOURS",
            "C03 Youth IOP/EVENING 20 | DISTANCE+10 INSURANCE SCHEDULE AGE INTAKE_OPEN+10 | NOT_ACCEPTING_NEW_PATIENTS | +14805550103 ALL_HOURS",
        ], Matches(result));
        Assert.Equal(3, (int)result["totalMatches"]!);
        Assert.Equal(3, (int)result["matchedCenters"]!);
        Assert.Equal([1, 2, 3], result["matches"]!.AsArray().Select(m => (int)m!["rank"]!));

        // Dropping AGE adds the seven adult evening programs at Medicaid centres in range; dropping
        // SCHEDULE adds Tempe's and Arcadia's day tracks and Mesa's weekend; INSURANCE adds Scottsdale
        // Teen Wellness; DISTANCE adds Casa Grande (43 mi).
        Assert.Equal(["AGE 10 10 0.75", "SCHEDULE 6 4 4.23", "INSURANCE 4 4 4.23", "DISTANCE 4 4 4.23"], Relax(result));

        // Excluded, and why: one requirement missed (nearest first), then two.
        Assert.Equal(
        [
            "C01 Adult Evening IOP/EVENING AGE",
            "C17 Women's Evening IOP/EVENING AGE",
            "C14 Adult IOP/EVENING AGE",
            "C07 Teen Day IOP/DAY SCHEDULE",
            "C16 Programa Intensivo Ambulatorio/EVENING AGE",
            "C06 Adult IOP/EVENING AGE",
            "C05 Teen IOP/EVENING INSURANCE",
            "C22 Young Adult IOP/EVENING AGE",
            "C23 Men's IOP/EVENING AGE",
            "C08 Teen IOP/EVENING DISTANCE",
            "C10 Military Family IOP/EVENING INSURANCE+AGE",
            "C24 Virtual IOP/EVENING DISTANCE+AGE",
            "C13 Adult Evening IOP/EVENING INSURANCE+AGE",
            "C20 Mindful Recovery IOP/EVENING INSURANCE+AGE",
            "C15 Evening IOP/EVENING INSURANCE+AGE",
            "C19 Senior Day IOP/DAY SCHEDULE+AGE",
            "C27 Telehealth IOP/EVENING DISTANCE+AGE",
            "C11 Adult IOP/EVENING INSURANCE+AGE",
            "C28 Adult IOP/EVENING DISTANCE+AGE",
        ], Excluded(result));
        // Candidates: centres within 500 km meeting two of the three centre-level clauses (within 25 miles,
        // Medicaid, an evening track); age is only tested in memory. 30 less Luke Field, Gilbert, Sun City,
        // Ahwatukee, Old Pueblo, Flagstaff, Cave Creek and Downtown Phoenix Outpatient.
        Assert.Equal(22, (int)result["candidatesConsidered"]!);
        Assert.False((bool)result["candidateCapReached"]!);

        var encanto = MatchOf(result, "C02");
        Assert.Equal("4.2 miles away, within the caller's 25 miles.", Message(encanto["reasons"]!, "DISTANCE"));
        Assert.Equal("Accepts Medicaid.", Message(encanto["reasons"]!, "INSURANCE"));
        Assert.Equal("Evening track (Mon, Wed, Thu 16:00-19:00) fits the caller's schedule.", Message(encanto["reasons"]!, "SCHEDULE"));
        Assert.Equal("Serves ages 13-17; the caller is 16.", Message(encanto["reasons"]!, "AGE"));
        Assert.Equal("Intake answers at this time (Tue 10:00 America/Phoenix).", Message(encanto["reasons"]!, "INTAKE_OPEN"));
        Assert.True((bool)encanto["intakeAnsweredNow"]!);
        Assert.Equal("Not accepting new patients at the moment.", Message(MatchOf(result, "C03")["gaps"]!, "NOT_ACCEPTING_NEW_PATIENTS"));
        Assert.False((bool)MatchOf(result, "C03")["acceptingNewPatients"]!);
        Assert.Equal("Does not accept Medicaid.", Message(ExcludedOf(result, "C05")["reasons"]!, "INSURANCE"));
        Assert.Equal("Serves ages 18 and over; the caller is 16.", Message(ExcludedOf(result, "C01")["reasons"]!, "AGE"));
        Assert.Equal("Day track (Mon, Tue, Wed, Thu 08:30-11:30); the caller can attend evening tracks only.", Message(ExcludedOf(result, "C07")["reasons"]!, "SCHEDULE"));
        Assert.Equal("43.4 miles away, beyond the caller's 25 miles.", Message(ExcludedOf(result, "C08")["reasons"]!, "DISTANCE"));
    }

    [Fact]
    public async Task The_same_teen_at_three_in_the_morning_is_transferred_by_each_centres_night_rule()
    {
        // Encanto has no after-hours line, Mesa falls back to the East Valley helpline, Tempe answers 24/7.
        var result = await MatchAsync(new { near = Hub, schedules = new[] { "EVENING" }, payerType = "MEDICAID", age = 16, at = TuesdayAt3 });

        Assert.Equal(
        [
            "C02 Teen Evening IOP/EVENING 35 | DISTANCE+15 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 | INTAKE_CLOSED | +16025550102 OUTSIDE_HOURS_NO_FALLBACK",
            "C04 Adolescent IOP/EVENING 25 | DISTANCE+5 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 | INTAKE_CLOSED | +14805550199 AFTER_HOURS_FALLBACK",
            "C03 Youth IOP/EVENING 20 | DISTANCE+10 INSURANCE SCHEDULE AGE INTAKE_OPEN+10 | NOT_ACCEPTING_NEW_PATIENTS | +14805550103 ALL_HOURS",
        ], Matches(result));
        Assert.Equal([false, false, true], result["matches"]!.AsArray().Select(m => (bool)m!["intakeAnsweredNow"]!));
        Assert.Equal([false, true, true], result["matches"]!.AsArray().Select(m => (bool)m!["transfer"]!["answered"]!));
        Assert.Equal("Intake is closed at this time (Tue 03:00 America/Phoenix) and has no after-hours line: expect voicemail or no answer.",
            Message(MatchOf(result, "C02")["gaps"]!, "INTAKE_CLOSED"));
        Assert.Equal("East Valley 24/7 helpline", (string)MatchOf(result, "C04")["transfer"]!["afterHoursLabel"]!);
        Assert.Equal("Intake answers 24/7.", Message(MatchOf(result, "C03")["reasons"]!, "INTAKE_OPEN"));
    }

    [Fact]
    public async Task Weekend_TRICARE_needs_family_therapy()
    {
        // TRICARE and a weekend track within 25 miles: Sky Harbor (both its programs, tied, program order
        // breaks the tie) and Luke Field (no family therapy). Chandler has no weekend track, Gilbert takes
        // military insurance but not TRICARE, Yuma is 157 miles away.
        var result = await MatchAsync(new
        {
            near = Hub, schedules = new[] { "WEEKEND" }, payerType = "MILITARY", carrier = "TRICARE", services = new[] { "FAMILY_THERAPY" }, at = SaturdayAt11,
        });

        Assert.Equal(
        [
            "C10 Military Family IOP/WEEKEND 55 | DISTANCE+15 INSURANCE SCHEDULE SERVICE_FAMILY_THERAPY+10 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550110 BUSINESS_HOURS",
            "C10 Military Teens IOP/WEEKEND 55 | DISTANCE+15 INSURANCE SCHEDULE SERVICE_FAMILY_THERAPY+10 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550110 BUSINESS_HOURS",
            "C09 Veterans IOP/WEEKEND 35 | DISTANCE+5 INSURANCE SCHEDULE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | SERVICE_FAMILY_THERAPY | +16235550109 ALL_HOURS",
        ], Matches(result));
        Assert.Equal(2, (int)result["matchedCenters"]!);
        Assert.Equal(["INSURANCE 8 7 3.77", "SCHEDULE 6 3 3.77", "DISTANCE 4 3 3.77"], Relax(result));
        Assert.Equal(
        [
            "C21 Holistic IOP/WEEKEND INSURANCE",
            "C04 Adolescent IOP/WEEKEND INSURANCE",
            "C18 Older Adult IOP/WEEKEND INSURANCE",
            "C23 Men's IOP/WEEKEND INSURANCE",
            "C11 Adult IOP/DAY SCHEDULE",
            "C12 Family Recovery IOP/WEEKEND INSURANCE",
            "C28 Adult IOP/WEEKEND DISTANCE",
        ], Excluded(result));

        var family = MatchOf(result, "C10", "Military Family IOP");
        Assert.Equal("Accepts military insurance (TRICARE); in network with TRICARE.", Message(family["reasons"]!, "INSURANCE"));
        Assert.Equal("The program offers family therapy.", Message(family["reasons"]!, "SERVICE_FAMILY_THERAPY"));
        Assert.Equal("Weekend track (Sat, Sun 09:00-13:00) fits the caller's schedule.", Message(family["reasons"]!, "SCHEDULE"));
        Assert.Equal("Intake answers at this time (Sat 11:00 America/Phoenix).", Message(family["reasons"]!, "INTAKE_OPEN"));
        Assert.Equal("The program does not offer family therapy.", Message(MatchOf(result, "C09")["gaps"]!, "SERVICE_FAMILY_THERAPY"));
        Assert.Equal("Accepts military insurance (TRICARE); not in network with TRICARE.", Message(ExcludedOf(result, "C12")["reasons"]!, "INSURANCE"));
        Assert.Equal("Day track (Mon, Tue, Wed, Thu 09:00-12:00); the caller can attend weekend tracks only.", Message(ExcludedOf(result, "C11")["reasons"]!, "SCHEDULE"));
    }

    [Fact]
    public async Task When_the_best_centres_intake_is_closed_the_transfer_goes_to_its_after_hours_line()
    {
        // Tuesday 19:30 in Phoenix. Camelback scores best (MAT, opioid use) but its intake closed at
        // 17:00: the transfer goes to its after-hours nurse. Papago has no fallback; Desert Sky is 24/7.
        var result = await MatchAsync(new
        {
            near = Hub, payerType = "PRIVATE_INSURANCE", carrier = "BCBS", schedules = new[] { "EVENING" }, age = 40,
            services = new[] { "MAT_BUPRENORPHINE" }, conditions = new[] { "OPIOID_USE" }, at = TuesdayAt1930,
        });

        Assert.Equal(
        [
            "C13 Adult Evening IOP/EVENING 51 | DISTANCE+15 INSURANCE SCHEDULE AGE SERVICE_MAT_BUPRENORPHINE+10 CONDITION_OPIOID_USE+6 ACCEPTING_NEW_PATIENTS+20 | INTAKE_CLOSED | +16025550163 AFTER_HOURS_FALLBACK",
            "C15 Evening IOP/EVENING 46 | DISTANCE+10 INSURANCE SCHEDULE AGE SERVICE_MAT_BUPRENORPHINE+10 CONDITION_OPIOID_USE+6 ACCEPTING_NEW_PATIENTS+20 | INTAKE_CLOSED | +16025550115 OUTSIDE_HOURS_NO_FALLBACK",
            "C14 Adult IOP/EVENING 45 | DISTANCE+15 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | SERVICE_MAT_BUPRENORPHINE CONDITION_OPIOID_USE | +16025550114 ALL_HOURS",
            "C11 Adult IOP/EVENING 25 | DISTANCE+5 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 | SERVICE_MAT_BUPRENORPHINE CONDITION_OPIOID_USE INTAKE_CLOSED | +14805550161 AFTER_HOURS_FALLBACK",
        ], Matches(result));

        var best = result["matches"]![0]!;
        Assert.False((bool)best["intakeAnsweredNow"]!);
        var transfer = best["transfer"]!;
        Assert.Equal("AFTER_HOURS_FALLBACK", (string)transfer["rule"]!);
        Assert.Equal("+16025550113", (string)transfer["number"]!); // the listing's own line, dialled
        Assert.Equal("+16025550163", (string)transfer["destinationNumber"]!); // where it rings after hours
        Assert.True((bool)transfer["answered"]!);
        Assert.Equal("Camelback after-hours admissions nurse", (string)transfer["afterHoursLabel"]!);
        Assert.StartsWith("2026-03-10T19:30:00", (string)transfer["localTime"]!);
        Assert.Equal("Intake is closed at this time (Tue 19:30 America/Phoenix); the transfer goes to the after-hours line (Camelback after-hours admissions nurse).",
            Message(best["gaps"]!, "INTAKE_CLOSED"));
        Assert.Equal("Accepts private health insurance; in network with Blue Cross Blue Shield.", Message(best["reasons"]!, "INSURANCE"));
        Assert.Equal("Treats opioid use disorder.", Message(best["reasons"]!, "CONDITION_OPIOID_USE"));
        Assert.False((bool)MatchOf(result, "C15")["transfer"]!["answered"]!);
        Assert.True((bool)MatchOf(result, "C14")["intakeAnsweredNow"]!);

        Assert.Equal(["INSURANCE 11 11 0.75", "SCHEDULE 8 5 4.31", "AGE 6 6 4.23", "DISTANCE 4 4 4.31"], Relax(result));
        Assert.Equal(19, (int)result["candidatesConsidered"]!);
    }

    [Fact]
    public async Task Telehealth_across_Arizona_reaches_a_caller_in_Flagstaff()
    {
        // In person within 25 miles only Flagstaff Pines; by telehealth, the two centres whose service
        // area is Arizona (Virtual Arizona in Phoenix, Old Pueblo in Tucson). Maricopa Virtual serves its
        // county only.
        var flagstaff = new { latitude = 35.1983, longitude = -111.6513 };
        var result = await MatchAsync(new { near = flagstaff, telehealthOk = true, payerType = "MEDICAID", age = 30, at = TuesdayAt10 });

        Assert.Equal(
        [
            "C26 Adult IOP/DAY 45 | DISTANCE+15 INSURANCE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +19285550126 BUSINESS_HOURS",
            "C24 Virtual IOP/EVENING 30 | TELEHEALTH INSURANCE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550124 ALL_HOURS",
            "C25 Hybrid IOP/DAY 10 | TELEHEALTH INSURANCE AGE INTAKE_OPEN+10 | NOT_ACCEPTING_NEW_PATIENTS | +15205550125 BUSINESS_HOURS",
        ], Matches(result));
        Assert.Equal([false, true, true], result["matches"]!.AsArray().Select(m => (bool)m!["viaTelehealth"]!));
        Assert.Equal("By telehealth: the centre's service area covers the caller (119.4 miles away).",
            Message(MatchOf(result, "C24")["reasons"]!, "TELEHEALTH"));
        Assert.Equal(["DISTANCE 14 12 0.19", "INSURANCE 3 3 0.19", "AGE 3 3 0.19"], Relax(result));
        Assert.Equal("C27 Telehealth IOP/EVENING DISTANCE", Excluded(result)[0]);
        Assert.Equal("110.7 miles away, beyond the caller's 25 miles; outside the centre's telehealth service area.",
            Message(ExcludedOf(result, "C27")["reasons"]!, "DISTANCE"));
        Assert.Equal(18, (int)result["candidatesConsidered"]!); // every Medicaid centre (all within 500 km)

        // Without telehealth, only the local centre.
        var inPerson = await MatchAsync(new { near = flagstaff, payerType = "MEDICAID", age = 30, at = TuesdayAt10 });
        Assert.Equal(["C26 Adult IOP/DAY 45 | DISTANCE+15 INSURANCE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +19285550126 BUSINESS_HOURS"], Matches(inPerson));
        Assert.Equal(["DISTANCE 12 10 0.19", "INSURANCE 1 1 0.19", "AGE 1 1 0.19"], Relax(inPerson));
        Assert.Equal("119.4 miles away, beyond the caller's 25 miles.", Message(ExcludedOf(inPerson, "C24")["reasons"]!, "DISTANCE"));
    }

    [Fact]
    public async Task Only_an_area_code_places_the_caller_in_Phoenix()
    {
        // 602: libphonenumber's geocoder names Phoenix, AZ for most of its exchanges; the ZIP table's
        // Phoenix centroid (33.508637, -112.084731) is 0.03 mi from Encanto and 0.94 mi from Desert Sky.
        // Virtual Arizona (0.89 mi) is telehealth only and the caller did not say telehealth is fine.
        var result = await MatchAsync(new { areaCode = "602", maxDistance = new { value = 2, unit = "MILES" }, at = TuesdayAt10 });

        var origin = result["origin"]!;
        Assert.Equal("AREA_CODE", (string)origin["source"]!);
        Assert.Equal("Phoenix, AZ (area code 602)", (string)origin["description"]!);
        Assert.Equal(33.508637, (double)origin["latitude"]!, 6);
        Assert.Equal(-112.084731, (double)origin["longitude"]!, 6);
        Assert.Equal(
        [
            "C02 Teen Evening IOP/EVENING 45 | DISTANCE+15 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550102 BUSINESS_HOURS",
            "C14 Adult IOP/EVENING 45 | DISTANCE+15 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550114 ALL_HOURS",
        ], Matches(result));
        Assert.Equal(["DISTANCE 41 28 0.03"], Relax(result));
        Assert.Equal(["C24 Virtual IOP/EVENING DISTANCE", "C13 Adult Evening IOP/EVENING DISTANCE", "C20 Mindful Recovery IOP/DAY DISTANCE"], Excluded(result).Take(3));
        Assert.Equal("Offered by telehealth only, and the caller has not said telehealth is fine.", Message(ExcludedOf(result, "C24")["reasons"]!, "DISTANCE"));
        Assert.Equal(30, (int)result["candidatesConsidered"]!);
    }

    [Fact]
    public async Task Nothing_matches_and_the_relax_suggestions_say_what_to_drop()
    {
        // A 70-year-old on Medicare who can only do weekends and travel 10 miles: Sky Harbor (no
        // Medicare), Paradise Valley (day only), Ahwatukee (ages 18-64), Sun City and Luke Field (too far).
        var result = await MatchAsync(new
        {
            near = Hub, maxDistance = new { value = 10, unit = "MILES" }, payerType = "MEDICARE", schedules = new[] { "WEEKEND" }, age = 70, at = TuesdayAt10,
        });

        Assert.Empty(Matches(result));
        Assert.Equal(0, (int)result["totalMatches"]!);
        Assert.Equal(["DISTANCE 2 2 15.35", "INSURANCE 1 1 3.77", "SCHEDULE 1 1 8.12", "AGE 1 1 8.92"], Relax(result));
        Assert.Equal(
        [
            "C10 Military Family IOP/WEEKEND INSURANCE",
            "C19 Senior Day IOP/DAY SCHEDULE",
            "C21 Holistic IOP/WEEKEND AGE",
            "C18 Older Adult IOP/WEEKEND DISTANCE",
            "C09 Veterans IOP/WEEKEND DISTANCE",
        ], Excluded(result));
        Assert.Equal(5, (int)result["candidatesConsidered"]!);
        Assert.Equal("Does not accept Medicare.", Message(ExcludedOf(result, "C10")["reasons"]!, "INSURANCE"));
        Assert.Equal("Day track (Mon, Wed, Fri 09:00-12:00); the caller can attend weekend tracks only.", Message(ExcludedOf(result, "C19")["reasons"]!, "SCHEDULE"));
        Assert.Equal("Serves ages 18-64; the caller is 70.", Message(ExcludedOf(result, "C21")["reasons"]!, "AGE"));
        Assert.Equal("15.3 miles away, beyond the caller's 10 miles.", Message(ExcludedOf(result, "C18")["reasons"]!, "DISTANCE"));
    }

    [Fact]
    public async Task Availability_windows_keep_tracks_whose_every_session_fits()
    {
        // Free Monday, Wednesday and Friday evenings from 17:30 and Saturday mornings to 12:30: Desert
        // Sky and Maryvale (Mon/Wed/Fri 18-21) and Biltmore's evening track (Mon/Wed 18-21 + Sat 9-12).
        // Glendale starts at 17:00; Roosevelt Row meets on Tuesdays; Sky Harbor's weekend meets Sundays.
        var result = await MatchAsync(new
        {
            near = Hub, age = 35, at = TuesdayAt10,
            availability = new object[]
            {
                new { weekday = "MONDAY", from = "17:30", until = "21:30" },
                new { weekday = "WEDNESDAY", from = "17:30", until = "21:30" },
                new { weekday = "FRIDAY", from = "17:30", until = "21:30" },
                new { weekday = "SATURDAY", from = "08:00", until = "12:30" },
            },
        });

        Assert.Equal(
        [
            "C14 Adult IOP/EVENING 45 | DISTANCE+15 SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550114 ALL_HOURS",
            "C20 Mindful Recovery IOP/EVENING 40 | DISTANCE+10 SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550120 BUSINESS_HOURS",
            "C16 Programa Intensivo Ambulatorio/EVENING 40 | DISTANCE+10 SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16235550116 BUSINESS_HOURS",
        ], Matches(result));
        Assert.Equal("Evening track (Mon, Wed 18:00-21:00; Sat 09:00-12:00) fits the caller's schedule.", Message(MatchOf(result, "C20")["reasons"]!, "SCHEDULE"));
        Assert.Equal(["SCHEDULE 23 16 0.44", "AGE 3 3 4.40", "DISTANCE 3 3 4.40"], Relax(result));
        Assert.Equal("Evening track (Mon, Wed, Fri 17:00-20:00) does not fit inside the caller's availability.", Message(ExcludedOf(result, "C06")["reasons"]!, "SCHEDULE"));
        Assert.Equal("C01 Adult Evening IOP/EVENING SCHEDULE", Excluded(result)[1]);

        // Biltmore is the metro's one paid placement: disclosed, never ranked up (it sits below Desert Sky).
        var biltmore = MatchOf(result, "C20");
        Assert.Equal("Sponsored", (string)biltmore["center"]!["sponsorship"]!["label"]!);
        Assert.True((bool)biltmore["transfer"]!["isPaidPlacement"]!);
        Assert.Equal("Sponsored listing. This is Biltmore Wellness Collective's own admissions line.", (string)biltmore["transfer"]!["disclosure"]!);
        Assert.Null(MatchOf(result, "C14")["center"]!["sponsorship"]);
    }

    [Fact]
    public async Task Spanish_speaker_on_Medicaid_needing_buprenorphine_ranks_Spanish_centres_first()
    {
        var result = await MatchAsync(new
        {
            near = Hub, payerType = "MEDICAID", schedules = new[] { "EVENING" }, age = 40, language = "Spanish",
            services = new[] { "MAT_BUPRENORPHINE" }, conditions = new[] { "OPIOID_USE" }, at = TuesdayAt10,
        });

        // Six match; `first` defaults to 5, so Desert Sky (45, no Spanish, no MAT) is left off the page.
        Assert.Equal(
        [
            "C01 Adult Evening IOP/EVENING 76 | DISTANCE+15 INSURANCE SCHEDULE AGE SERVICE_MAT_BUPRENORPHINE+10 LANGUAGE+15 CONDITION_OPIOID_USE+6 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550101 BUSINESS_HOURS",
            "C16 Programa Intensivo Ambulatorio/EVENING 71 | DISTANCE+10 INSURANCE SCHEDULE AGE SERVICE_MAT_BUPRENORPHINE+10 LANGUAGE+15 CONDITION_OPIOID_USE+6 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16235550116 BUSINESS_HOURS",
            "C17 Women's Evening IOP/EVENING 56 | DISTANCE+15 INSURANCE SCHEDULE AGE SERVICE_MAT_BUPRENORPHINE+10 LANGUAGE+15 CONDITION_OPIOID_USE+6 INTAKE_OPEN+10 | NOT_ACCEPTING_NEW_PATIENTS | +16025550117 BUSINESS_HOURS",
            "C23 Men's IOP/EVENING 56 | DISTANCE+5 INSURANCE SCHEDULE AGE LANGUAGE+15 CONDITION_OPIOID_USE+6 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | SERVICE_MAT_BUPRENORPHINE | +16235550123 BUSINESS_HOURS",
            "C06 Adult IOP/EVENING 46 | DISTANCE+10 INSURANCE SCHEDULE AGE CONDITION_OPIOID_USE+6 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | SERVICE_MAT_BUPRENORPHINE LANGUAGE | +16235550106 BUSINESS_HOURS",
        ], Matches(result));
        Assert.Equal(6, (int)result["totalMatches"]!);
        Assert.Equal("Offers services in Spanish.", Message(MatchOf(result, "C01")["reasons"]!, "LANGUAGE"));
        Assert.Equal("Does not list Spanish among its languages.", Message(MatchOf(result, "C06")["gaps"]!, "LANGUAGE"));
        Assert.Equal("The program does not offer medication for opioid use disorder: buprenorphine.",
            Message(MatchOf(result, "C23")["gaps"]!, "SERVICE_MAT_BUPRENORPHINE"));
        Assert.Equal(["INSURANCE 11 11 0.75", "AGE 10 10 0.75", "SCHEDULE 8 7 0.75", "DISTANCE 7 7 0.75"], Relax(result));

        var all = await MatchAsync(new
        {
            near = Hub, payerType = "MEDICAID", schedules = new[] { "EVENING" }, age = 40, language = "es",
            services = new[] { "MAT_BUPRENORPHINE" }, conditions = new[] { "OPIOID_USE" }, at = TuesdayAt10, first = 10,
        });
        Assert.Equal("C14 Adult IOP/EVENING 45 | DISTANCE+15 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | SERVICE_MAT_BUPRENORPHINE LANGUAGE CONDITION_OPIOID_USE | +16025550114 ALL_HOURS",
            Matches(all)[5]);
    }

    [Fact]
    public async Task Stepping_down_from_residential_prefers_step_down_day_programs()
    {
        var result = await MatchAsync(new
        {
            near = Hub, payerType = "PRIVATE_INSURANCE", carrier = "AETNA", schedules = new[] { "DAY" }, age = 28, steppingDownFromResidential = true,
            services = new[] { "INDIVIDUAL_COUNSELING", "DBT" }, at = TuesdayAt10,
        });

        Assert.Equal(
        [
            "C13 Day Step-Down IOP/DAY 75 | DISTANCE+15 INSURANCE SCHEDULE AGE SERVICE_INDIVIDUAL_COUNSELING+10 SERVICE_DBT+10 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 STEP_DOWN+10 | - | +16025550113 BUSINESS_HOURS",
            "C21 Holistic IOP/DAY 60 | DISTANCE+10 INSURANCE SCHEDULE AGE SERVICE_INDIVIDUAL_COUNSELING+10 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 STEP_DOWN+10 | SERVICE_DBT | +14805550121 BUSINESS_HOURS",
            "C12 Family Recovery IOP/DAY 55 | DISTANCE+5 INSURANCE SCHEDULE AGE SERVICE_INDIVIDUAL_COUNSELING+10 SERVICE_DBT+10 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | STEP_DOWN | +14805550112 BUSINESS_HOURS",
            "C20 Mindful Recovery IOP/DAY 50 | DISTANCE+10 INSURANCE SCHEDULE AGE SERVICE_INDIVIDUAL_COUNSELING+10 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | SERVICE_DBT STEP_DOWN | +16025550120 BUSINESS_HOURS",
        ], Matches(result));
        Assert.Equal("Accepts private health insurance; in network with Aetna.", Message(MatchOf(result, "C13")["reasons"]!, "INSURANCE"));
        Assert.Equal("The program does not step down in intensity.", Message(MatchOf(result, "C12")["gaps"]!, "STEP_DOWN"));
        Assert.Equal(["SCHEDULE 9 5 4.31", "INSURANCE 7 7 0.44", "AGE 4 4 4.31", "DISTANCE 4 4 4.31"], Relax(result));
        Assert.Equal(
        [
            "C30 Adult Day IOP/DAY INSURANCE",
            "C15 Evening IOP/EVENING SCHEDULE",
            "C22 Adult IOP/DAY INSURANCE",
            "C11 Adult IOP/DAY INSURANCE",
            "C24 Virtual IOP/EVENING DISTANCE+SCHEDULE",
            "C02 Teen Evening IOP/EVENING SCHEDULE+AGE",
            "C07 Teen Day IOP/DAY INSURANCE+AGE",
            "C03 Youth IOP/DAY INSURANCE+AGE",
            "C19 Senior Day IOP/DAY INSURANCE+AGE",
            "C05 Teen IOP/EVENING SCHEDULE+AGE",
            "C27 Telehealth IOP/EVENING DISTANCE+SCHEDULE",
            "C18 Older Adult IOP/DAY INSURANCE+AGE",
        ], Excluded(result));
    }

    [Fact]
    public async Task A_Tempe_ZIP_within_five_kilometres()
    {
        var result = await MatchAsync(new { zip = "85281", maxDistance = new { value = 5, unit = "KILOMETERS" }, age = 30, at = TuesdayAt10 });

        Assert.Equal("ZIP 85281 (Tempe, AZ)", (string)result["origin"]!["description"]!);
        Assert.Equal("ZIP", (string)result["origin"]!["source"]!);
        Assert.Equal(5000, (double)result["maxDistance"]!["meters"]!, 6);
        Assert.Equal(["C15 Evening IOP/EVENING 45 | DISTANCE+15 AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550115 BUSINESS_HOURS"], Matches(result));
        Assert.Equal("2.4 miles away, within the caller's 5 km.", Message(MatchOf(result, "C15")["reasons"]!, "DISTANCE"));
        Assert.Equal(["DISTANCE 28 20 2.43", "AGE 3 2 0.37"], Relax(result));
        Assert.Equal("C03 Youth IOP/DAY AGE", Excluded(result)[0]);
        Assert.Equal("Serves ages 12-17; the caller is 30.", Message(ExcludedOf(result, "C03")["reasons"]!, "AGE"));
    }

    [Fact]
    public async Task A_listing_without_a_routed_line_matches_with_no_transfer_and_says_so()
    {
        // Weekend, self-pay, equine therapy and yoga, a veteran who is LGBTQ+, willing to drive 40 miles on
        // Saturday at 11:00. Cave Creek Ranch (27.5 mi, no points for distance) has no routed line.
        var result = await MatchAsync(new
        {
            near = Hub, maxDistance = new { value = 40, unit = "MILES" }, payerType = "SELF_PAY", schedules = new[] { "WEEKEND" }, age = 45,
            services = new[] { "EQUINE_THERAPY", "YOGA" }, populations = new[] { "VETERANS", "LGBTQ" }, at = SaturdayAt11,
        });

        Assert.Equal(
        [
            "C21 Holistic IOP/WEEKEND 76 | DISTANCE+10 INSURANCE SCHEDULE AGE SERVICE_EQUINE_THERAPY+10 SERVICE_YOGA+10 POPULATION_VETERANS+8 POPULATION_LGBTQ+8 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +14805550121 BUSINESS_HOURS",
            "C10 Military Family IOP/WEEKEND 53 | DISTANCE+15 INSURANCE SCHEDULE AGE POPULATION_VETERANS+8 ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | SERVICE_EQUINE_THERAPY SERVICE_YOGA POPULATION_LGBTQ | +16025550110 BUSINESS_HOURS",
            "C29 Ranch Weekend IOP/WEEKEND 48 | DISTANCE INSURANCE SCHEDULE AGE SERVICE_EQUINE_THERAPY+10 SERVICE_YOGA+10 POPULATION_VETERANS+8 ACCEPTING_NEW_PATIENTS+20 | POPULATION_LGBTQ NO_ROUTED_LINE | no transfer",
            "C12 Family Recovery IOP/WEEKEND 35 | DISTANCE+5 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | SERVICE_EQUINE_THERAPY SERVICE_YOGA POPULATION_VETERANS POPULATION_LGBTQ | +14805550112 BUSINESS_HOURS",
            "C23 Men's IOP/WEEKEND 25 | DISTANCE+5 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 | SERVICE_EQUINE_THERAPY SERVICE_YOGA POPULATION_VETERANS POPULATION_LGBTQ INTAKE_CLOSED | +16235550123 OUTSIDE_HOURS_NO_FALLBACK",
        ], Matches(result));
        var ranch = MatchOf(result, "C29");
        Assert.Null(ranch["transfer"]);
        Assert.False((bool)ranch["intakeAnsweredNow"]!);
        Assert.Equal("The listing has no routed facility line: no transfer number; give the caller the listing's phones.", Message(ranch["gaps"]!, "NO_ROUTED_LINE"));
        Assert.Equal("Serves veterans specifically.", Message(ranch["reasons"]!, "POPULATION_VETERANS"));
        Assert.Equal("Does not list LGBTQ+ among the populations it serves.", Message(ranch["gaps"]!, "POPULATION_LGBTQ"));
        Assert.Equal("Accepts self-pay (cash).", Message(ranch["reasons"]!, "INSURANCE"));
        Assert.Equal(["SCHEDULE 19 13 0.44", "INSURANCE 6 6 3.77", "AGE 6 5 3.77", "DISTANCE 6 6 3.77"], Relax(result));
    }

    [Fact]
    public async Task An_18_year_old_in_Mesa_fits_the_adolescent_program_that_runs_to_18()
    {
        var result = await MatchAsync(new
        {
            zip = "85201", maxDistance = new { value = 3, unit = "MILES" }, payerType = "MEDICAID", schedules = new[] { "EVENING" }, age = 18, at = TuesdayAt10,
        });

        Assert.Equal(["C04 Adolescent IOP/EVENING 45 | DISTANCE+15 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +14805550104 BUSINESS_HOURS"], Matches(result));
        Assert.Equal("Serves ages 13-18; the caller is 18.", Message(MatchOf(result, "C04")["reasons"]!, "AGE"));
        Assert.Equal(["DISTANCE 9 9 1.67", "SCHEDULE 2 1 1.67", "INSURANCE 1 1 1.67", "AGE 1 1 1.67"], Relax(result));

        var nineteen = await MatchAsync(new
        {
            zip = "85201", maxDistance = new { value = 3, unit = "MILES" }, payerType = "MEDICAID", schedules = new[] { "EVENING" }, age = 19, at = TuesdayAt10,
        });
        Assert.Empty(Matches(nineteen));
        Assert.Equal("C04 Adolescent IOP/EVENING AGE", Excluded(nineteen)[0]);
    }

    [Fact]
    public async Task Telehealth_ok_near_downtown_mixes_in_person_and_virtual_programs()
    {
        // Within 5 miles in person, or by telehealth within 5 miles or inside a service area covering
        // downtown (Maricopa Virtual, 13.5 mi). Tuesday 19:30: only the 24/7 lines answer themselves.
        var result = await MatchAsync(new
        {
            near = Hub, telehealthOk = true, maxDistance = new { value = 5, unit = "MILES" }, payerType = "MEDICAID", schedules = new[] { "EVENING" }, age = 30,
            at = TuesdayAt1930,
        });

        Assert.Equal(
        [
            "C14 Adult IOP/EVENING 45 | DISTANCE+15 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550114 ALL_HOURS",
            "C01 Adult Evening IOP/EVENING 35 | DISTANCE+15 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 | INTAKE_CLOSED | +16025550151 AFTER_HOURS_FALLBACK",
            "C24 Virtual IOP/EVENING 30 | TELEHEALTH INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550124 ALL_HOURS",
            "C27 Telehealth IOP/EVENING 20 | TELEHEALTH INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 | INTAKE_CLOSED | +14805550177 AFTER_HOURS_FALLBACK",
            "C17 Women's Evening IOP/EVENING 15 | DISTANCE+15 INSURANCE SCHEDULE AGE | NOT_ACCEPTING_NEW_PATIENTS INTAKE_CLOSED | +16025550199 AFTER_HOURS_FALLBACK",
        ], Matches(result));
        Assert.Equal("By telehealth (3.9 miles away, within the caller's 5 miles).", Message(MatchOf(result, "C24")["reasons"]!, "TELEHEALTH"));
        Assert.Equal("By telehealth: the centre's service area covers the caller (13.5 miles away).", Message(MatchOf(result, "C27")["reasons"]!, "TELEHEALTH"));
        Assert.Equal(["DISTANCE 9 9 0.75", "INSURANCE 7 7 0.75", "SCHEDULE 6 6 0.75", "AGE 6 6 0.75"], Relax(result));
        Assert.Equal(17, (int)result["candidatesConsidered"]!);
    }

    [Fact]
    public async Task A_carrier_alone_is_enough_for_the_insurance_requirement()
    {
        // Cigna members aged 50, day or evening: both Camelback programs (tied; program order), both
        // Biltmore tracks (tied; day before evening) and Gilbert's day track.
        var result = await MatchAsync(new { near = Hub, carrier = "cigna", age = 50, schedules = new[] { "DAY", "EVENING" }, at = TuesdayAt10 });

        Assert.Equal(
        [
            "C13 Adult Evening IOP/EVENING 45 | DISTANCE+15 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550113 BUSINESS_HOURS",
            "C13 Day Step-Down IOP/DAY 45 | DISTANCE+15 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550113 BUSINESS_HOURS",
            "C20 Mindful Recovery IOP/DAY 40 | DISTANCE+10 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550120 BUSINESS_HOURS",
            "C20 Mindful Recovery IOP/EVENING 40 | DISTANCE+10 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +16025550120 BUSINESS_HOURS",
            "C12 Family Recovery IOP/DAY 35 | DISTANCE+5 INSURANCE SCHEDULE AGE ACCEPTING_NEW_PATIENTS+20 INTAKE_OPEN+10 | - | +14805550112 BUSINESS_HOURS",
        ], Matches(result));
        Assert.Equal(3, (int)result["matchedCenters"]!);
        Assert.Equal("In network with Cigna.", Message(MatchOf(result, "C12")["reasons"]!, "INSURANCE"));
        Assert.Equal(["INSURANCE 18 15 0.44", "AGE 7 5 4.31", "SCHEDULE 6 3 4.31", "DISTANCE 6 4 4.31"], Relax(result));
    }
}
