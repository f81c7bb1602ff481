using System.Globalization;
using System.Text;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using NetTopologySuite;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace IopDirectory.Seeding;

/// <summary>
/// Fictional treatment centres, the same for the same seed: the checked-in sample
/// (<see cref="Sample"/>, seed/sample-centers.json) and any number of synthetic centres for load tests
/// (<see cref="Generate"/>). Names, street numbers, phone numbers and licences are invented; places,
/// ZIP codes, coordinates, counties, area codes and time zones are real.
/// </summary>
public static class SyntheticDirectory
{
    public const int SampleSeed = 20261124;
    public const string SampleSource = "seed";
    public const string SyntheticSource = "synthetic";

    /// <summary>Verification dates count back from here, not from the clock, so output never drifts.</summary>
    public static readonly DateTimeOffset AsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    internal static readonly GeometryFactory Geometry = NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    /// <summary>
    /// Streams <paramref name="count"/> centres clustered around ~55 US metros (a few rural outliers),
    /// Source "synthetic", SourceId "syn-1", "syn-2"... Each centre's call routes ring the centre itself;
    /// their CenterId and DestinationCenterId are left for whoever saves the centre (ids come from the database).
    /// The first few dozen centres between them use every enum value, service code and carrier.
    /// </summary>
    public static IEnumerable<Center> Generate(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Stream(count, seed);

        static IEnumerable<Center> Stream(int count, int seed)
        {
            var builder = new CenterBuilder(new Random(seed), NumberPlan.Synthetic(), uniqueNames: false, trackingShare: 0.2);
            for (var n = 1; n <= count; n++)
                yield return builder.Build(builder.SyntheticSite(), SyntheticSource, $"syn-{n}");
        }
    }

    /// <summary>
    /// The sample directory: 100 centres in eight metros plus Anchorage, Honolulu and San Juan, with
    /// phone numbers only in the fictional 555-0100..0199 range, and two directory-wide hotlines.
    /// Throws if any enum value, service code or carrier is missing from it.
    /// </summary>
    public static SampleDirectory Sample(int seed = SampleSeed)
    {
        var rng = new Random(seed);
        var numbers = NumberPlan.Fictional();
        var hotlines = Hotlines(numbers);
        var builder = new CenterBuilder(rng, numbers, uniqueNames: true, trackingShare: 0.3);

        var sites = new List<Site>();
        foreach (var metro in SampleMetros.All)
        {
            var slots = metro.Places.SelectMany(p => Enumerable.Repeat(p, p.Weight)).ToList();
            for (var i = 0; i < metro.Count; i++)
                sites.Add(slots[i % slots.Count].ToSite(metro, rng));
        }
        // Shuffled so the values forced in for coverage spread over every metro, not the first one.
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sites));

        var centers = sites.Select((site, i) => builder.Build(site, SampleSource, $"seed-{i + 1:000}")).ToList();
        var gaps = CoverageGaps(centers, hotlines);
        if (gaps.Count > 0)
            throw new InvalidOperationException("The sample misses " + string.Join(", ", gaps));
        return new SampleDirectory(centers, hotlines);
    }

    /// <summary>Enum values, service codes and carriers that appear nowhere in the given centres and routes.</summary>
    public static IReadOnlyList<string> CoverageGaps(IEnumerable<Center> centers, IEnumerable<CallRoute> otherRoutes)
    {
        var list = centers.ToList();
        var routes = list.SelectMany(c => c.CallRoutes).Concat(otherRoutes).ToList();
        var programs = list.SelectMany(c => c.Programs).ToList();
        var gaps = new List<string>();
        Check(list.SelectMany(c => c.LevelsOfCare));
        Check(list.SelectMany(c => c.Populations));
        Check(list.SelectMany(c => c.Conditions));
        Check(list.SelectMany(c => c.Accreditations));
        Check(list.SelectMany(c => c.PayerTypes));
        Check(list.SelectMany(c => c.Phones).Select(p => p.Kind));
        Check(programs.SelectMany(p => p.Tracks).Select(t => t.Kind));
        Check(routes.Select(r => r.Kind));
        Check(routes.Select(r => r.DestinationKind));
        var codes = programs.SelectMany(p => p.ServiceCodes).ToHashSet();
        gaps.AddRange(ServiceCatalog.All.Where(s => !codes.Contains(s.Code)).Select(s => "service " + s.Code));
        Check(ServiceCatalog.All.Where(s => codes.Contains(s.Code)).Select(s => s.Category));
        var carriers = list.SelectMany(c => c.InsurancePlans).Select(p => p.CarrierCode).ToHashSet();
        gaps.AddRange(Carriers.All.Keys.Where(k => !carriers.Contains(k)).Order(StringComparer.Ordinal).Select(k => "carrier " + k));
        return gaps;

        void Check<T>(IEnumerable<T> used) where T : struct, Enum
        {
            var seen = used.ToHashSet();
            gaps.AddRange(Enum.GetValues<T>().Where(v => !seen.Contains(v)).Select(v => $"{typeof(T).Name}.{v}"));
        }
    }

    private static List<CallRoute> Hotlines(NumberPlan numbers) =>
    [
        new()
        {
            Number = numbers.Next("844"),
            Kind = DisplayedNumberKind.DirectoryHotline,
            DestinationKind = RouteDestinationKind.PartnerNetwork,
            PartnerNetworkName = "Lanternway Care Network",
            DestinationNumber = numbers.Next("888"),
            AnsweredAllHours = true,
            AnswerTimeZone = "America/Chicago",
            IsPaidPlacement = false,
            CallbacksOffered = true,
            Disclosure = "This helpline is answered by Lanternway Care Network, a partner network of treatment providers, "
                + "not by any centre listed here. Callers are matched by location, insurance, schedule and need; "
                + "no provider pays to receive a call.",
        },
        new()
        {
            Number = numbers.Next("855"),
            Kind = DisplayedNumberKind.DirectoryHotline,
            DestinationKind = RouteDestinationKind.PartnerNetwork,
            PartnerNetworkName = "Puente Claro Admissions Collective",
            DestinationNumber = numbers.Next("877"),
            AnsweredAllHours = false,
            AnswerTimeZone = "America/New_York",
            Hours = [.. Week(DayOfWeek.Monday, DayOfWeek.Saturday).Select(d => Hours(d, "07:00", "22:00"))],
            AfterHoursNumber = "+18445550100",
            AfterHoursLabel = "Lanternway Care Network 24/7 helpline",
            IsPaidPlacement = false,
            CallbacksOffered = true,
            Disclosure = "Bilingual (English / Español) helpline answered by Puente Claro Admissions Collective, a partner "
                + "network, not by any listed centre. After hours calls go to the Lanternway Care Network helpline.",
        },
    ];

    internal static IEnumerable<DayOfWeek> Week(DayOfWeek from, DayOfWeek to)
    {
        for (var d = from; d <= to; d++) yield return d;
    }

    internal static AnswerHours Hours(DayOfWeek day, string opens, string closes) =>
        new() { Weekday = day, OpensAt = Time(opens), ClosesAt = Time(closes) };

    /// <summary>"18:30" as a time of day (exact format: TimeOnly.Parse would consult the clock and time zone).</summary>
    internal static TimeOnly Time(string hhmm) => TimeOnly.ParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A polygon of <paramref name="radiusKm"/> around a point, counter-clockwise as GeoJSON prefers.</summary>
    internal static MultiPolygon Circle(double latitude, double longitude, double radiusKm, int corners = 24)
    {
        var ring = new Coordinate[corners + 1];
        for (var i = 0; i < corners; i++)
        {
            var angle = 2 * Math.PI * i / corners;
            ring[i] = new Coordinate(
                Math.Round(longitude + radiusKm * Math.Cos(angle) / (111.32 * Math.Cos(latitude * Math.PI / 180)), 4),
                Math.Round(latitude + radiusKm * Math.Sin(angle) / 110.57, 4));
        }
        ring[corners] = ring[0].Copy();
        return Geometry.CreateMultiPolygon([Geometry.CreatePolygon(ring)]);
    }

    /// <summary>Rough outlines given as (longitude, latitude) rings; closed and turned counter-clockwise here.</summary>
    internal static MultiPolygon Outline(params double[][] rings) =>
        Geometry.CreateMultiPolygon([.. rings.Select(flat =>
        {
            var coordinates = Enumerable.Range(0, flat.Length / 2).Select(i => new Coordinate(flat[2 * i], flat[2 * i + 1])).ToList();
            coordinates.Add(coordinates[0].Copy());
            var ring = coordinates.ToArray();
            if (!Orientation.IsCCW(ring)) Array.Reverse(ring);
            return Geometry.CreatePolygon(ring);
        })]);
}

/// <summary>The sample's centres (their call routes inside) and the directory-wide hotlines.</summary>
public sealed record SampleDirectory(IReadOnlyList<Center> Centers, IReadOnlyList<CallRoute> Hotlines);

/// <summary>Where a centre is and what the place around it is like.</summary>
internal sealed record Site(
    string Street1, string? Street2, string City, string State, string County, string PostalCode,
    double Latitude, double Longitude, string TimeZone, string[] AreaCodes, string[] Languages, bool SpanishFirst,
    NameTheme Theme, MultiPolygon? StateArea, bool TollFreeTracking);

internal enum NameTheme { Desert, Pacific, Midwest, Texas, Florida, Northeast, Mountain, Northwest, Alaska, Hawaii, PuertoRico, Southeast }

/// <summary>
/// Hands out phone numbers that are never handed out twice. The sample uses only 555-0100..0199, the range
/// reserved for fiction. Synthetic numbers use the rest of the 555 exchange (never 0100-0199, so they cannot
/// collide with the sample, and never 555-1212), then 556, 557... once an area code's 555 block runs out:
/// valid in form, not promised to be unassigned; never dial synthetic numbers.
/// </summary>
internal sealed class NumberPlan
{
    private const int PerExchange = 9899;
    private readonly Dictionary<string, int> used = [];
    private readonly bool fictionalOnly;

    private NumberPlan(bool fictionalOnly) => this.fictionalOnly = fictionalOnly;

    public static NumberPlan Fictional() => new(true);

    public static NumberPlan Synthetic() => new(false);

    public string Next(string areaCode)
    {
        var k = used.GetValueOrDefault(areaCode);
        used[areaCode] = k + 1;
        if (fictionalOnly)
        {
            if (k >= 100) throw new InvalidOperationException($"Area code {areaCode} has no fictional 555-01xx number left.");
            return $"+1{areaCode}5550{100 + k}";
        }
        var exchange = 555 + k / PerExchange;
        var line = k % PerExchange;
        if (line >= 100) line += 100;
        if (line >= 1212) line += 1;
        return $"+1{areaCode}{exchange}{line:0000}";
    }
}

/// <summary>Remembers which values of a set have appeared, so the first centres can be made to use them all.</summary>
internal sealed class Coverage<T>(IReadOnlyList<T> values)
{
    private readonly bool[] seen = new bool[values.Count];
    private readonly EqualityComparer<T> comparer = EqualityComparer<T>.Default;

    public T? NextUnseen(Func<T, bool> eligible)
    {
        for (var i = 0; i < values.Count; i++)
            if (!seen[i] && eligible(values[i])) return values[i];
        return default;
    }

    public bool Done { get; private set; }

    public void Mark(IEnumerable<T> used)
    {
        if (Done) return;
        foreach (var value in used)
            for (var i = 0; i < values.Count; i++)
                if (comparer.Equals(values[i], value)) seen[i] = true;
        Done = Array.TrueForAll(seen, s => s);
    }
}

/// <summary>Builds one coherent centre at a time: who it serves decides its programs, payers, services and routes.</summary>
internal sealed class CenterBuilder(Random rng, NumberPlan numbers, bool uniqueNames, double trackingShare)
{
    private static readonly string[] AllServiceCodes = [.. ServiceCatalog.All.Select(s => s.Code)];
    private static readonly Dictionary<string, int> ServiceIndex = AllServiceCodes.Select((code, i) => (code, i)).ToDictionary(x => x.code, x => x.i);
    private static readonly string[] AllCarriers = [.. Carriers.All.Keys.Order(StringComparer.Ordinal)];

    private readonly Coverage<LevelOfCare?> levelCoverage = new([.. Enum.GetValues<LevelOfCare>().Select(v => (LevelOfCare?)v)]);
    private readonly Coverage<Population?> populationCoverage = new([.. Enum.GetValues<Population>().Select(v => (Population?)v)]);
    private readonly Coverage<Condition?> conditionCoverage = new([.. Enum.GetValues<Condition>().Select(v => (Condition?)v)]);
    private readonly Coverage<Accreditation?> accreditationCoverage = new([.. Enum.GetValues<Accreditation>().Select(v => (Accreditation?)v)]);
    private readonly Coverage<PayerType?> payerCoverage = new([.. Enum.GetValues<PayerType>().Select(v => (PayerType?)v)]);
    private readonly Coverage<string> serviceCoverage = new(AllServiceCodes);
    private readonly Coverage<string> carrierCoverage = new(AllCarriers);
    private readonly HashSet<string> names = [];
    private readonly HashSet<MultiPolygon> stateAreasUsed = new(ReferenceEqualityComparer.Instance);

    public Site SyntheticSite()
    {
        var metro = Metros.Pick(rng.NextDouble());
        var rural = rng.NextDouble() < 0.02;
        double lat = metro.Latitude, lng = metro.Longitude;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            double north, east;
            if (rural)
            {
                var distance = 50 + rng.NextDouble() * 100;
                var bearing = rng.NextDouble() * 2 * Math.PI;
                (north, east) = (distance * Math.Cos(bearing), distance * Math.Sin(bearing));
            }
            else
            {
                north = Math.Clamp(Gaussian() * metro.SpreadKm, -3 * metro.SpreadKm, 3 * metro.SpreadKm);
                east = Math.Clamp(Gaussian() * metro.SpreadKm, -3 * metro.SpreadKm, 3 * metro.SpreadKm);
            }
            if (metro.IsWater(north, east)) continue;
            lat = metro.Latitude + north / 110.57;
            lng = metro.Longitude + east / (111.32 * Math.Cos(metro.Latitude * Math.PI / 180));
            break;
        }
        var city = rural ? Pick(Words.RuralTowns) : metro.City;
        var street = rural ? $"{rng.Next(100, 40000)} County Road {rng.Next(1, 120)}" : $"{rng.Next(100, 9900)} {Pick(Words.Streets)}";
        return new Site(street, Suite(), city, metro.State, metro.County, Pick(metro.Zips),
            Math.Round(lat, 6), Math.Round(lng, 6), metro.TimeZone, metro.AreaCodes, metro.Languages,
            metro.State == "PR", metro.Theme, null, TollFreeTracking: false);
    }

    internal string? Suite() => rng.NextDouble() < 0.3 ? $"Suite {rng.Next(1, 5)}{rng.Next(0, 3)}{rng.Next(0, 10)}" : null;

    public Center Build(Site site, string source, string sourceId)
    {
        var name = NewName(site);
        var paid = rng.NextDouble() < trackingShare * 0.5;
        var levels = PickLevels();
        var populations = PickPopulations();
        var conditions = PickConditions(populations);
        var accreditations = PickAccreditations(paid);
        var payers = PickPayers(populations);
        var plans = PickPlans(site.State, payers);
        // Each state-wide outline of the sample is used at least once: the first centre there serves it by telehealth.
        var stateWide = site.StateArea is not null && stateAreasUsed.Add(site.StateArea);
        var programs = PickPrograms(site, populations, conditions, stateWide);
        var telehealth = programs.Any(p => p.Telehealth);
        var serviceArea = stateWide ? site.StateArea
            : telehealth && rng.NextDouble() < 0.5 ? site.StateArea ?? SyntheticDirectory.Circle(site.Latitude, site.Longitude, 80 + 10 * rng.Next(0, 8))
            : null;

        var center = new Center
        {
            Name = name,
            Description = Describe(site, programs, populations, levels, telehealth, serviceArea),
            Website = rng.NextDouble() < 0.85 ? $"https://{Slug(name)}.example" : null,
            Address = new Address
            {
                Street1 = site.Street1,
                Street2 = site.Street2,
                City = site.City,
                State = site.State,
                PostalCode = site.PostalCode,
                County = site.County,
            },
            Location = SyntheticDirectory.Geometry.CreatePoint(new Coordinate(site.Longitude, site.Latitude)),
            TimeZone = site.TimeZone,
            LevelsOfCare = levels,
            AcceptingNewPatients = rng.NextDouble() < 0.9,
            Accreditations = accreditations,
            StateLicenseNumber = accreditations.Contains(Accreditation.StateLicense)
                ? $"{site.State}-BH-{rng.Next(10000, 99999)}"
                : null,
            Languages = PickLanguages(site, populations),
            Populations = populations,
            Conditions = conditions,
            ServiceArea = serviceArea,
            PayerTypes = payers,
            FreeConsultation = rng.NextDouble() < 0.5,
            Source = source,
            SourceId = sourceId,
            LastVerifiedAt = SyntheticDirectory.AsOf.AddMinutes(-rng.Next(0, 730 * 24 * 60)),
            InsurancePlans = plans,
            Programs = programs,
        };
        AddPhonesAndRoutes(center, site, paid, staffedAroundTheClock: levels.Contains(LevelOfCare.Detox) || levels.Contains(LevelOfCare.Residential));
        return center;
    }

    private string NewName(Site site)
    {
        for (var attempt = 0; ; attempt++)
        {
            string name;
            if (site.Theme == NameTheme.PuertoRico)
            {
                name = $"{Pick(Words.SpanishPrefixes)} {Pick(Words.Themes[site.Theme])}";
            }
            else
            {
                var root = Pick(rng.NextDouble() < 0.75 ? Words.Themes[site.Theme] : Words.Generic);
                var landmark = rng.NextDouble() < 0.4 && !root.Contains(' ') ? " " + Pick(Words.Landmarks) : "";
                name = $"{root}{landmark} {Pick(Words.Suffixes)}";
            }
            if (attempt > 200) name += $" of {site.City}";
            if (!uniqueNames || names.Add(name)) return name;
        }
    }

    private List<LevelOfCare> PickLevels()
    {
        var levels = new List<LevelOfCare> { LevelOfCare.IntensiveOutpatient };
        var profile = rng.NextDouble();
        if (profile < 0.2) levels.AddRange([LevelOfCare.Detox, LevelOfCare.Residential, LevelOfCare.PartialHospitalization]);
        else if (profile < 0.5) levels.Add(LevelOfCare.PartialHospitalization);
        if (rng.NextDouble() < 0.8) levels.Add(LevelOfCare.Outpatient);
        if (rng.NextDouble() < 0.6) levels.Add(LevelOfCare.Aftercare);
        return Finish(levels, levelCoverage, _ => true);
    }

    private List<Population> PickPopulations()
    {
        var populations = new List<Population>();
        Maybe(populations, Population.Adults, 0.92);
        Maybe(populations, Population.YoungAdults, 0.3);
        Maybe(populations, Population.Adolescents, 0.14);
        Maybe(populations, Population.Seniors, 0.08);
        Maybe(populations, Population.Women, 0.2);
        Maybe(populations, Population.Men, 0.14);
        Maybe(populations, Population.PregnantPostpartum, 0.04);
        Maybe(populations, Population.Veterans, 0.1);
        Maybe(populations, Population.ActiveDutyMilitary, 0.03);
        Maybe(populations, Population.MilitaryFamilies, 0.05);
        Maybe(populations, Population.Lgbtq, 0.15);
        Maybe(populations, Population.CriminalJustice, 0.1);
        Maybe(populations, Population.TraumaSurvivors, 0.2);
        Maybe(populations, Population.DeafHardOfHearing, 0.03);
        populations = Finish(populations, populationCoverage, _ => true);
        if (populations.Contains(Population.PregnantPostpartum) && !populations.Contains(Population.Women))
            populations.Add(Population.Women);
        if (!populations.Contains(Population.Adults) && !populations.Contains(Population.YoungAdults) && !populations.Contains(Population.Adolescents))
            populations.Add(Population.Adults);
        populations.Sort();
        return populations;
    }

    private List<Condition> PickConditions(List<Population> populations)
    {
        var conditions = new List<Condition>();
        Maybe(conditions, Condition.AlcoholUse, 0.95);
        Maybe(conditions, Condition.OpioidUse, 0.8);
        Maybe(conditions, Condition.StimulantUse, 0.6);
        Maybe(conditions, Condition.CannabisUse, populations.Contains(Population.Adolescents) ? 0.9 : 0.5);
        Maybe(conditions, Condition.BenzodiazepineUse, 0.4);
        Maybe(conditions, Condition.GamblingDisorder, 0.06);
        Maybe(conditions, Condition.Depression, 0.65);
        Maybe(conditions, Condition.Anxiety, 0.65);
        Maybe(conditions, Condition.Ptsd, populations.Contains(Population.TraumaSurvivors) || populations.Contains(Population.Veterans) ? 1 : 0.35);
        Maybe(conditions, Condition.Bipolar, 0.25);
        Maybe(conditions, Condition.EatingDisorder, 0.05);
        if (!conditions.Contains(Condition.AlcoholUse) && !conditions.Contains(Condition.OpioidUse)) conditions.Add(Condition.AlcoholUse);
        return Finish(conditions, conditionCoverage, _ => true);
    }

    private List<Accreditation> PickAccreditations(bool paid)
    {
        var accreditations = new List<Accreditation>();
        Maybe(accreditations, Accreditation.JointCommission, 0.35);
        Maybe(accreditations, Accreditation.Carf, 0.35);
        // Ad platforms only take addiction-treatment advertisers certified by LegitScript.
        Maybe(accreditations, Accreditation.LegitScript, paid ? 1 : 0.2);
        Maybe(accreditations, Accreditation.StateLicense, 0.93);
        return Finish(accreditations, accreditationCoverage, _ => true);
    }

    private List<PayerType> PickPayers(List<Population> populations)
    {
        var payers = new List<PayerType>();
        var military = populations.Any(p => p is Population.Veterans or Population.ActiveDutyMilitary or Population.MilitaryFamilies);
        Maybe(payers, PayerType.SelfPay, 0.88);
        Maybe(payers, PayerType.PrivateInsurance, 0.85);
        Maybe(payers, PayerType.Medicaid, 0.4);
        Maybe(payers, PayerType.Medicare, populations.Contains(Population.Seniors) ? 0.9 : 0.2);
        Maybe(payers, PayerType.Military, military ? 1 : 0.06);
        Maybe(payers, PayerType.StateFinanced, 0.12);
        Maybe(payers, PayerType.SlidingScale, 0.22);
        Maybe(payers, PayerType.PaymentAssistance, 0.2);
        Maybe(payers, PayerType.Free, 0.03);
        if (payers.Count == 0) payers.Add(PayerType.SelfPay);
        return Finish(payers, payerCoverage, _ => true);
    }

    private List<InsurancePlan> PickPlans(string state, List<PayerType> payers)
    {
        bool Eligible(string carrier) => carrier switch
        {
            "TRICARE" => payers.Contains(PayerType.Military),
            "MOLINA" or "CENTENE" => payers.Contains(PayerType.Medicaid),
            "KAISER" => payers.Contains(PayerType.PrivateInsurance) && Words.KaiserStates.Contains(state),
            "ANTHEM" => payers.Contains(PayerType.PrivateInsurance) && Words.AnthemStates.Contains(state),
            "HEALTHNET" => payers.Contains(PayerType.PrivateInsurance) && state is "CA" or "AZ" or "OR",
            _ => payers.Contains(PayerType.PrivateInsurance),
        };

        var carriers = new List<string>(8);
        if (payers.Contains(PayerType.PrivateInsurance))
        {
            foreach (var carrier in Words.CommercialCarriers)
                if (Eligible(carrier)) carriers.Add(carrier);
            rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(carriers));
            var take = Math.Min(carriers.Count, rng.Next(2, 7));
            carriers.RemoveRange(take, carriers.Count - take);
        }
        if (payers.Contains(PayerType.Military)) carriers.Add("TRICARE");
        if (payers.Contains(PayerType.Medicaid) && rng.NextDouble() < 0.6) carriers.Add(rng.NextDouble() < 0.5 ? "MOLINA" : "CENTENE");
        var forced = carrierCoverage.NextUnseen(Eligible);
        if (forced is not null && !carriers.Contains(forced)) carriers.Add(forced);
        carrierCoverage.Mark(carriers);
        carriers.Sort(StringComparer.Ordinal);

        return [.. carriers.Select(code => new InsurancePlan
        {
            CarrierCode = code,
            PlanName = code switch
            {
                "TRICARE" => Pick(Words.TricarePlans),
                "MOLINA" or "CENTENE" => "Medicaid managed care",
                "HUMANA" when payers.Contains(PayerType.Medicare) => "Medicare Advantage",
                _ => Pick(Words.PlanKinds),
            },
        })];
    }

    private List<string> PickLanguages(Site site, List<Population> populations)
    {
        var languages = site.SpanishFirst ? new List<string> { "es" } : ["en"];
        if (site.SpanishFirst && rng.NextDouble() < 0.7) languages.Add("en");
        foreach (var language in site.Languages)
            if (languages.Count < 3 && !languages.Contains(language) && rng.NextDouble() < (language == "es" ? 0.45 : 0.15))
                languages.Add(language);
        if (populations.Contains(Population.DeafHardOfHearing)) languages.Add("ase");
        return languages;
    }

    private List<IopProgram> PickPrograms(Site site, List<Population> populations, List<Condition> conditions, bool telehealthFirst)
    {
        var kinds = new List<ProgramKind>();
        if (populations.Contains(Population.Adults) || !populations.Contains(Population.Adolescents)) kinds.Add(ProgramKind.Adult);
        if (populations.Contains(Population.Adolescents)) kinds.Add(ProgramKind.Adolescent);
        var specialties = new List<ProgramKind>();
        foreach (var population in populations)
        {
            ProgramKind? specialty = population switch
            {
                Population.YoungAdults => ProgramKind.YoungAdult,
                Population.Women => ProgramKind.Women,
                Population.Men => ProgramKind.Men,
                Population.Veterans => ProgramKind.Veterans,
                Population.Lgbtq => ProgramKind.Lgbtq,
                Population.Seniors => ProgramKind.OlderAdult,
                Population.TraumaSurvivors => ProgramKind.Trauma,
                _ => null,
            };
            if (specialty is { } kind) specialties.Add(kind);
        }
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(specialties));
        var target = rng.Next(1, 4);
        foreach (var kind in specialties)
            if (kinds.Count < target && rng.NextDouble() < 0.6) kinds.Add(kind);
        if (kinds.Count < 3 && rng.NextDouble() < 0.12) kinds.Add(ProgramKind.Virtual);
        return [.. kinds.Select((kind, i) => BuildProgram(kind, site, populations, conditions, telehealth: i == 0 && telehealthFirst))];
    }

    private IopProgram BuildProgram(ProgramKind kind, Site site, List<Population> populations, List<Condition> conditions, bool telehealth)
    {
        var mental = conditions.Any(c => c is Condition.Depression or Condition.Anxiety or Condition.Ptsd or Condition.Bipolar or Condition.EatingDisorder);
        var tracks = PickTracks(kind);
        decimal minHours = decimal.MaxValue, maxHours = 0;
        int minDays = int.MaxValue, maxDays = 0;
        foreach (var track in tracks)
        {
            // Templates meet once a day, so sessions are days.
            var hours = 0m;
            foreach (var session in track.Sessions) hours += (decimal)(session.EndsAt - session.StartsAt).TotalHours;
            (minHours, maxHours) = (Math.Min(minHours, hours), Math.Max(maxHours, hours));
            (minDays, maxDays) = (Math.Min(minDays, track.Sessions.Count), Math.Max(maxDays, track.Sessions.Count));
        }
        var (minWeeks, maxWeeks) = Pick(Words.Durations);
        telehealth = kind == ProgramKind.Virtual || rng.NextDouble() < 0.3 || telehealth;
        var inPerson = kind != ProgramKind.Virtual;
        var program = new IopProgram
        {
            Name = kind switch
            {
                ProgramKind.Adult => Pick(mental ? Words.DualDiagnosisProgramNames : Words.AdultProgramNames),
                ProgramKind.Adolescent => Pick(["Adolescent IOP", "Teen Intensive Outpatient", "Adolescent After-School IOP"]),
                ProgramKind.YoungAdult => "Young Adult IOP",
                ProgramKind.Women => Pick(["Women's IOP", "Women's Recovery IOP"]),
                ProgramKind.Men => "Men's IOP",
                ProgramKind.Veterans => Pick(["Veterans IOP", "Veterans & Military Families IOP"]),
                ProgramKind.Lgbtq => "LGBTQ+ Affirming IOP",
                ProgramKind.OlderAdult => "Older Adult IOP",
                ProgramKind.Trauma => "Trauma-Informed IOP",
                _ => Pick(["Virtual IOP", "Telehealth IOP"]),
            },
            MinHoursPerWeek = minHours,
            MaxHoursPerWeek = maxHours,
            MinDaysPerWeek = minDays,
            MaxDaysPerWeek = maxDays,
            MinDurationWeeks = minWeeks,
            MaxDurationWeeks = maxWeeks,
            StepsDown = rng.NextDouble() < 0.6,
            Telehealth = telehealth,
            InPerson = inPerson,
            MinAge = kind switch
            {
                ProgramKind.Adolescent => rng.NextDouble() < 0.8 ? 13 : 12,
                ProgramKind.OlderAdult => 55,
                _ => 18,
            },
            MaxAge = kind switch
            {
                ProgramKind.Adolescent => 17,
                ProgramKind.YoungAdult => rng.NextDouble() < 0.5 ? 25 : 26,
                _ => null,
            },
            Tracks = tracks,
        };
        program.ServiceCodes = PickServices(kind, populations, conditions, mental, inPerson);
        program.Description = DescribeProgram(program, site);
        return program;
    }

    private List<Track> PickTracks(ProgramKind kind)
    {
        TrackKind[] kinds = kind switch
        {
            // After school for teens; a few add a weekend group.
            ProgramKind.Adolescent => rng.NextDouble() < 0.15 ? [TrackKind.Evening, TrackKind.Weekend] : [TrackKind.Evening],
            ProgramKind.Virtual => rng.NextDouble() < 0.5 ? [TrackKind.Day, TrackKind.Evening] : [Pick([TrackKind.Day, TrackKind.Evening])],
            _ => rng.NextDouble() switch
            {
                < 0.25 => [TrackKind.Evening],
                < 0.4 => [TrackKind.Day],
                < 0.45 => [TrackKind.Weekend],
                < 0.75 => [TrackKind.Day, TrackKind.Evening],
                < 0.85 => [TrackKind.Evening, TrackKind.Weekend],
                _ => [TrackKind.Day, TrackKind.Evening, TrackKind.Weekend],
            },
        };
        return [.. kinds.Select(trackKind =>
        {
            var template = trackKind switch
            {
                TrackKind.Day => Pick(Words.DaySchedules),
                TrackKind.Evening when kind == ProgramKind.Adolescent => Pick(Words.AfterSchoolSchedules),
                TrackKind.Evening => Pick(Words.EveningSchedules),
                _ => Pick(Words.WeekendSchedules),
            };
            return new Track
            {
                Kind = trackKind,
                Sessions = [.. template.Select(s => new TrackSession { Weekday = s.Day, StartsAt = s.Start, EndsAt = s.End })],
            };
        })];
    }

    private List<string> PickServices(ProgramKind kind, List<Population> populations, List<Condition> conditions, bool mental, bool inPerson)
    {
        var teen = kind == ProgramKind.Adolescent;
        var chosen = new bool[AllServiceCodes.Length];
        chosen[ServiceIndex["INDIVIDUAL_COUNSELING"]] = chosen[ServiceIndex["GROUP_COUNSELING"]] = true;
        void Add(string code, double chance)
        {
            if (rng.NextDouble() < chance) chosen[ServiceIndex[code]] = true;
        }

        Add("FAMILY_THERAPY", teen ? 1 : 0.9);
        Add("MEDICATION_MANAGEMENT", 0.9);
        Add("PSYCHOEDUCATION", 0.85);
        Add("COUPLES_COUNSELING", teen ? 0 : 0.15);
        Add("GENDER_SPECIFIC_GROUPS", kind is ProgramKind.Women or ProgramKind.Men ? 1 : populations.Contains(Population.Women) || populations.Contains(Population.Men) ? 0.5 : 0.05);
        Add("LGBTQ_GROUPS", kind == ProgramKind.Lgbtq ? 1 : populations.Contains(Population.Lgbtq) ? 0.6 : 0);
        Add("TRAUMA_SURVIVOR_GROUPS", kind == ProgramKind.Trauma ? 1 : populations.Contains(Population.TraumaSurvivors) ? 0.6 : 0.03);
        Add("CBT", 0.75);
        Add("DBT", teen || kind == ProgramKind.Trauma ? 0.7 : 0.4);
        Add("MOTIVATIONAL_INTERVIEWING", 0.55);
        Add("CONTINGENCY_MANAGEMENT", conditions.Contains(Condition.StimulantUse) ? 0.2 : 0.03);
        Add("TRAUMA_THERAPY", kind is ProgramKind.Trauma or ProgramKind.Veterans ? 1 : conditions.Contains(Condition.Ptsd) ? 0.6 : 0.1);
        Add("RELAPSE_PREVENTION", 0.85);
        Add("ANGER_MANAGEMENT", populations.Contains(Population.CriminalJustice) ? 0.6 : 0.08);
        if (!teen)
        {
            var opioids = conditions.Contains(Condition.OpioidUse);
            var alcohol = conditions.Contains(Condition.AlcoholUse);
            Add("MAT_BUPRENORPHINE", opioids ? 0.55 : 0);
            Add("MAT_NALTREXONE", opioids || alcohol ? 0.45 : 0);
            Add("MAT_METHADONE", opioids && inPerson ? 0.08 : 0);
            Add("MAT_ACAMPROSATE", alcohol ? 0.25 : 0);
        }
        Add("CO_OCCURRING_TREATMENT", mental ? 0.8 : 0.1);
        Add("TWELVE_STEP_FACILITATION", 0.55);
        Add("ONSITE_TWELVE_STEP_MEETINGS", inPerson ? 0.25 : 0);
        Add("PEER_SUPPORT", 0.45);
        Add("ART_THERAPY", 0.25);
        Add("MUSIC_THERAPY", 0.15);
        Add("YOGA", 0.25);
        Add("FITNESS", inPerson ? 0.2 : 0.05);
        Add("ACUPUNCTURE", inPerson && !teen ? 0.08 : 0);
        Add("EQUINE_THERAPY", inPerson ? 0.04 : 0);
        Add("ADVENTURE_THERAPY", inPerson ? (teen ? 0.15 : 0.04) : 0);
        Add("NEUROFEEDBACK", inPerson ? 0.06 : 0);
        Add("MINDFULNESS", 0.4);
        Add("LIFE_SKILLS", teen ? 0.8 : 0.5);
        Add("EMPLOYMENT_SUPPORT", teen ? 0 : 0.25);
        Add("AFTERCARE_PLANNING", 0.8);
        Add("SOBER_LIVING_REFERRAL", teen ? 0 : 0.3);
        Add("DISCHARGE_PLANNING", 0.5);

        var forced = serviceCoverage.NextUnseen(code =>
            !(teen && (code.StartsWith("MAT_", StringComparison.Ordinal) || code is "COUPLES_COUNSELING" or "EMPLOYMENT_SUPPORT" or "SOBER_LIVING_REFERRAL" or "ACUPUNCTURE"))
            && !(!inPerson && code is "MAT_METHADONE" or "ONSITE_TWELVE_STEP_MEETINGS" or "ACUPUNCTURE" or "EQUINE_THERAPY" or "ADVENTURE_THERAPY" or "NEUROFEEDBACK"));
        if (forced is not null) chosen[ServiceIndex[forced]] = true;
        // Catalogue order, so files and snapshots read the same way every time.
        var codes = new List<string>(24);
        for (var i = 0; i < chosen.Length; i++)
            if (chosen[i]) codes.Add(AllServiceCodes[i]);
        serviceCoverage.Mark(codes);
        return codes;
    }

    private void AddPhonesAndRoutes(Center center, Site site, bool paid, bool staffedAroundTheClock)
    {
        var areaCode = Pick(site.AreaCodes);
        var main = numbers.Next(areaCode);
        center.Phones.Add(new Phone { Kind = PhoneKind.Main, Number = main });

        // Half the centres publish a separate admissions line; some route it through the switchboard.
        string intake;
        var layout = rng.NextDouble();
        if (layout < 0.5)
        {
            intake = numbers.Next(areaCode);
            center.Phones.Add(new Phone { Kind = PhoneKind.Intake, Number = intake });
        }
        else if (layout < 0.65)
        {
            intake = main;
            center.Phones.Add(new Phone { Kind = PhoneKind.Intake, Number = main, Extension = Pick(["1", "2", "200"]) });
        }
        else
        {
            intake = main;
        }

        var allHours = rng.NextDouble() < (staffedAroundTheClock ? 0.85 : 0.25);
        SessionTemplate[] window = allHours ? [] : Pick(Words.AnswerHours);
        List<AnswerHours> Hours() => [.. window.Select(h => new AnswerHours { Weekday = h.Day, OpensAt = h.Start, ClosesAt = h.End })];
        var callbacks = rng.NextDouble() < 0.35;
        var afterHoursNumber = allHours || intake == main ? null : main;
        var afterHoursLabel = allHours ? null : intake == main
            ? "Voicemail; calls are returned the next business day"
            : "Main line (voicemail after hours)";
        var facilityPaid = !paid && rng.NextDouble() < 0.03;

        center.CallRoutes.Add(new CallRoute
        {
            Number = intake,
            Kind = DisplayedNumberKind.FacilityLine,
            DestinationKind = RouteDestinationKind.Facility,
            DestinationNumber = intake,
            AnsweredAllHours = allHours,
            AnswerTimeZone = site.TimeZone,
            Hours = Hours(),
            AfterHoursNumber = afterHoursNumber,
            AfterHoursLabel = afterHoursLabel,
            IsPaidPlacement = facilityPaid,
            Disclosure = facilityPaid ? $"Sponsored listing. This is {center.Name}'s own admissions line." : null,
            CallbacksOffered = callbacks,
        });

        if (paid || rng.NextDouble() < trackingShare * 0.5 / (1 - trackingShare * 0.5))
        {
            var trackingArea = site.TollFreeTracking && rng.NextDouble() < 0.5 ? Pick(Words.TollFree) : areaCode;
            center.CallRoutes.Add(new CallRoute
            {
                Number = numbers.Next(trackingArea),
                Kind = DisplayedNumberKind.TrackingNumber,
                DestinationKind = RouteDestinationKind.Facility,
                DestinationNumber = intake,
                AnsweredAllHours = allHours,
                AnswerTimeZone = site.TimeZone,
                Hours = Hours(),
                AfterHoursNumber = afterHoursNumber,
                AfterHoursLabel = afterHoursLabel,
                IsPaidPlacement = paid,
                Disclosure = paid
                    ? $"Sponsored listing. Calls to this number are answered by {center.Name}'s admissions team."
                    : $"Calls to this number are forwarded to {center.Name}'s admissions line; the directory counts them to report referrals.",
                CallbacksOffered = callbacks,
            });
        }
    }

    private static string Describe(Site site, List<IopProgram> programs, List<Population> populations, List<LevelOfCare> levels,
        bool telehealth, MultiPolygon? serviceArea)
    {
        var tracks = programs.SelectMany(p => p.Tracks).Select(t => t.Kind).Distinct().Order()
            .Select(k => k.ToString().ToLowerInvariant()).ToList();
        var who = populations.Contains(Population.Adolescents) && !populations.Contains(Population.Adults)
            ? "teens and their families"
            : populations.Contains(Population.Adolescents) ? "adults and teens" : "adults";
        var text = new StringBuilder($"{Capitalise(JoinAnd(tracks))} intensive outpatient treatment in {site.City} for {who}");
        var detox = levels.Contains(LevelOfCare.Detox);
        var residential = levels.Contains(LevelOfCare.Residential);
        text.Append(detox && residential ? ", with detox and residential care on the same campus"
            : residential ? ", with residential care on the same campus"
            : detox ? ", with medically supervised detox on site"
            : levels.Contains(LevelOfCare.PartialHospitalization) ? ", stepping down from partial hospitalization"
            : "");
        text.Append('.');
        if (serviceArea is not null && ReferenceEquals(serviceArea, site.StateArea) && Words.StateNames.TryGetValue(site.State, out var state))
            text.Append($" Telehealth sessions reach clients anywhere in {state}.");
        else if (serviceArea is not null) text.Append(" Telehealth sessions reach clients across the region.");
        else if (telehealth) text.Append(" Telehealth sessions are available.");
        return text.ToString();
    }

    private static readonly string[] DayAbbreviations = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] TrackNames = [.. Enum.GetValues<TrackKind>().Select(k => k.ToString().ToLowerInvariant())];

    /// <summary>"In person in Tempe. 9-12 hours a week over 8-12 weeks (day: Mon/Wed/Fri 09:00-12:00; ...)."</summary>
    private static string DescribeProgram(IopProgram program, Site site)
    {
        var text = new StringBuilder(160);
        text.Append(program.InPerson ? program.Telehealth ? "In person or by telehealth" : "In person in " + site.City : "By telehealth only");
        text.Append(CultureInfo.InvariantCulture, $". {(double)program.MinHoursPerWeek}");
        if (program.MaxHoursPerWeek != program.MinHoursPerWeek) text.Append(CultureInfo.InvariantCulture, $"-{(double)program.MaxHoursPerWeek}");
        text.Append(CultureInfo.InvariantCulture, $" hours a week over {program.MinDurationWeeks}-{program.MaxDurationWeeks} weeks");
        if (program.StepsDown) text.Append(", tapering as milestones are met");
        text.Append(" (");
        for (var t = 0; t < program.Tracks.Count; t++)
        {
            var track = program.Tracks[t];
            text.Append(t > 0 ? "; " : "").Append(TrackNames[(int)track.Kind]).Append(": ");
            for (var i = 0; i < track.Sessions.Count; i++)
                text.Append(i > 0 ? "/" : "").Append(DayAbbreviations[(int)track.Sessions[i].Weekday]);
            text.Append(CultureInfo.InvariantCulture, $" {track.Sessions[0].StartsAt:HH:mm}-{track.Sessions[0].EndsAt:HH:mm}");
        }
        return text.Append(").").ToString();
    }

    private static string JoinAnd(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Slug(string name)
    {
        var plain = new StringBuilder(name.Length);
        foreach (var c in Ascii.IsValid(name) ? name : name.Normalize(NormalizationForm.FormD))
            if (char.IsAsciiLetterOrDigit(c)) plain.Append(char.ToLowerInvariant(c));
        return plain.ToString();
    }

    private List<T> Finish<T>(List<T> chosen, Coverage<T?> coverage, Func<T?, bool> eligible) where T : struct, Enum
    {
        var forced = coverage.NextUnseen(eligible);
        if (forced is { } value && !chosen.Contains(value)) chosen.Add(value);
        if (!coverage.Done) coverage.Mark(chosen.Select(c => (T?)c));
        chosen.Sort();
        return chosen;
    }

    private void Maybe<T>(List<T> list, T value, double chance)
    {
        if (rng.NextDouble() < chance) list.Add(value);
    }

    internal T Pick<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private double Gaussian()
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private enum ProgramKind { Adult, Adolescent, YoungAdult, Women, Men, Veterans, Lgbtq, OlderAdult, Trauma, Virtual }
}

internal sealed record SessionTemplate(DayOfWeek Day, TimeOnly Start, TimeOnly End);

/// <summary>Word lists and schedules the builder draws from.</summary>
internal static class Words
{
    public static readonly Dictionary<NameTheme, string[]> Themes = new()
    {
        [NameTheme.Desert] = ["Saguaro Lantern", "Ocotillo", "Brittlebush", "Mesquite Bend", "Sonoran Dawn", "Desert Marigold", "Agave Light", "Canyon Wren", "Red Mesa", "Creosote", "Javelina Wash", "Verbena", "Quail Wash"],
        [NameTheme.Pacific] = ["Jacaranda", "Sea Lavender", "Golden Yarrow", "Toyon", "Coastal Sage", "Pelican Point", "Marine Layer", "Poppy Field", "Sycamore Canyon", "Tidepool", "Kelp Forest", "Sea Fig"],
        [NameTheme.Midwest] = ["Prairie Lantern", "Bur Oak", "Bluestem", "Compass Plant", "Goldenrod", "Dolomite", "Lakeshore Beacon", "Cardinal Field", "Switchgrass", "Coneflower", "Breakwater"],
        [NameTheme.Texas] = ["Huisache", "Agarita", "Pecan Grove", "Bayou Lantern", "Mockingbird", "Cypress Knee", "Indian Paintbrush", "Caliche", "Post Oak Meadow", "Brazos Lantern"],
        [NameTheme.Florida] = ["Mangrove", "Sea Grape", "Coquina", "Sea Oats", "Gumbo Limbo", "Wild Coffee", "Egret", "Royal Poinciana", "Key Lime", "Firebush"],
        [NameTheme.Northeast] = ["Brownstone", "Hudson Lantern", "Rowhouse Lantern", "Bridgework", "Slate Roof", "Ferry Landing", "Lamplight", "Stoop & Stair", "Elevated Line", "Boroughs Bend"],
        [NameTheme.Mountain] = ["Pasqueflower", "Aspen Leaf", "Talus Field", "Blue Spruce", "Foothill Lantern", "Larkspur", "Switchback", "Kinnikinnick", "Ponderosa Lantern", "Scree Slope"],
        [NameTheme.Northwest] = ["Salal", "Snowberry", "Sword Fern", "Rain Shadow", "Rain Garden", "Huckleberry", "Red Alder", "Vine Maple", "Cedar Waxwing", "Tideflat"],
        [NameTheme.Alaska] = ["Fireweed", "Spruce Tip", "Labrador Tea", "Tundra Rose", "Chugach View", "Willow Ptarmigan"],
        [NameTheme.Hawaii] = ["Kukui", "Ohia Lehua", "Koa Grove", "Plumeria", "Trade Wind", "Naupaka", "Hala Tree"],
        [NameTheme.PuertoRico] = ["Ceiba", "Flamboyán", "Coquí", "Yagrumo", "Amapola", "Maga", "Tabonuco", "Guayacán"],
        [NameTheme.Southeast] = ["Dogwood", "Magnolia Lantern", "Sweetgum", "Red Clay", "Muscadine", "Longleaf", "Loblolly", "Kudzu Bend", "Sourwood"],
    };

    public static readonly string[] Generic =
        ["Sextant", "Sounding Line", "Keel", "Bramble", "Lodestar", "Kestrel", "Osprey", "Wren", "Juniper", "Fieldstone", "Windrow",
         "Foxglove", "Stillpoint", "Bellwether", "Cairn", "Tern", "Quillwort", "Millrace", "Waypost", "Drumlin"];

    public static readonly string[] Landmarks = ["Ridge", "Bend", "Crossing", "Point", "Grove", "Hollow", "Commons", "Landing", "Path", "Gate", "Meadow"];

    public static readonly string[] Suffixes =
        ["Recovery", "Recovery Center", "Behavioral Health", "Wellness", "Outpatient", "Treatment Center", "Counseling Center",
         "Recovery Collective", "Health", "Clinic", "Recovery Partners", "Outpatient Recovery"];

    public static readonly string[] SpanishPrefixes = ["Centro de Recuperación", "Clínica", "Centro Ambulatorio", "Instituto"];

    public static readonly string[] Streets =
        ["Main St", "Oak Ave", "Park Blvd", "Washington Ave", "Lincoln Ave", "Maple St", "1st Ave", "Broadway", "Center St", "Elm St",
         "Lake St", "Hill Rd", "Church St", "Pine St", "Market St", "Highland Ave", "Jefferson St", "Franklin Ave", "Madison Ave",
         "Grand Ave", "Commerce Dr", "Medical Pkwy", "Professional Dr", "Corporate Blvd", "Executive Dr", "Riverside Dr",
         "College Ave", "University Ave", "N Central Ave", "S Main St", "E 3rd St", "W 5th St"];

    public static readonly string[] RuralTowns =
        ["Harlow Springs", "Quillan", "Marrow Creek", "Tansy Ridge", "Ellery", "Bristow Flats", "Juniper Gap", "Cordell Mill", "Ashby Crossing", "Wren Hollow"];

    public static readonly string[] AdultProgramNames = ["Adult IOP", "Intensive Outpatient Program", "Adult Intensive Outpatient"];

    public static readonly string[] DualDiagnosisProgramNames = [.. AdultProgramNames, "Dual Diagnosis IOP"];

    public static readonly string[] CommercialCarriers = ["AETNA", "ANTHEM", "BCBS", "CIGNA", "UNITEDHEALTHCARE", "HUMANA", "KAISER", "MAGELLAN", "BEACON", "OPTUM", "HEALTHNET"];

    public static readonly HashSet<string> KaiserStates = ["CA", "CO", "GA", "HI", "MD", "DC", "VA", "OR", "WA"];

    public static readonly HashSet<string> AnthemStates = ["CA", "CO", "CT", "GA", "IN", "KY", "ME", "MO", "NV", "NH", "NY", "OH", "VA", "WI"];

    public static readonly string[] TollFree = ["833", "844", "855", "866", "877", "888"];

    public static readonly Dictionary<string, string> StateNames = new() { ["AZ"] = "Arizona", ["CO"] = "Colorado", ["WA"] = "Washington", ["HI"] = "Hawaii" };

    public static readonly string?[] TricarePlans = ["TRICARE Prime", "TRICARE Select", null];

    public static readonly string?[] PlanKinds = ["PPO", "HMO", "EPO", "POS", null, null];

    public static readonly (int, int)[] Durations = [(6, 8), (6, 12), (8, 12), (8, 16), (10, 12), (12, 16), (4, 8), (12, 24)];

    public static readonly SessionTemplate[][] DaySchedules =
    [
        Sessions("09:00", "12:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday),
        Sessions("09:00", "12:00", DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday),
        Sessions("09:00", "12:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday),
        Sessions("09:00", "12:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday),
        Sessions("10:00", "13:30", DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday),
        Sessions("09:30", "12:30", DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday),
        Sessions("10:00", "13:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday),
        Sessions("09:30", "12:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday),
    ];

    public static readonly SessionTemplate[][] EveningSchedules =
    [
        Sessions("18:00", "21:00", DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Thursday),
        Sessions("17:30", "20:30", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday),
        Sessions("18:00", "21:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday),
        Sessions("18:00", "21:00", DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday),
        Sessions("17:00", "20:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday),
        Sessions("17:30", "21:00", DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday),
    ];

    public static readonly SessionTemplate[][] AfterSchoolSchedules =
    [
        Sessions("15:30", "18:30", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday),
        Sessions("16:00", "19:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday),
        Sessions("16:00", "19:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday),
    ];

    public static readonly SessionTemplate[][] WeekendSchedules =
    [
        Sessions("09:00", "13:30", DayOfWeek.Saturday, DayOfWeek.Sunday),
        Sessions("09:00", "15:00", DayOfWeek.Saturday, DayOfWeek.Sunday),
        Sessions("08:30", "13:30", DayOfWeek.Saturday, DayOfWeek.Sunday),
    ];

    /// <summary>Answering windows for lines not staffed around the clock (copied for each route: routes own their rows).</summary>
    public static readonly SessionTemplate[][] AnswerHours =
    [
        Sessions("08:00", "18:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday),
        [.. Sessions("08:00", "20:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday),
            .. Sessions("09:00", "14:00", DayOfWeek.Saturday)],
        Sessions("07:00", "21:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday),
        Sessions("09:00", "17:00", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday),
    ];

    private static SessionTemplate[] Sessions(string start, string end, params DayOfWeek[] days) =>
        [.. days.Select(d => new SessionTemplate(d, SyntheticDirectory.Time(start), SyntheticDirectory.Time(end)))];
}

/// <summary>A sea or lake beyond a straight coast <paramref name="Km"/> from the metro centre, towards <paramref name="Bearing"/> degrees.</summary>
internal sealed record Coast(double Bearing, double Km);

internal sealed record Metro(
    string City, string State, string County, double Latitude, double Longitude, string TimeZone, double Weight,
    double SpreadKm, string[] AreaCodes, string[] Zips, string[] Languages, NameTheme Theme, params Coast[] Coasts)
{
    public bool IsWater(double northKm, double eastKm) => Coasts.Any(c =>
    {
        var bearing = c.Bearing * Math.PI / 180;
        return northKm * Math.Cos(bearing) + eastKm * Math.Sin(bearing) > c.Km;
    });
}

/// <summary>
/// The metros synthetic centres cluster around: centre coordinates and ZIP codes from SAMHSA's national
/// directory (the median of the facilities in each city), weights roughly the metro population in millions.
/// </summary>
internal static class Metros
{
    private const string Eastern = "America/New_York", Central = "America/Chicago", Mountain = "America/Denver", Pacific = "America/Los_Angeles";

    public static readonly Metro[] All =
    [
        new("New York", "NY", "New York", 40.7645, -73.9744, Eastern, 19.5, 25, ["212", "646", "332", "917", "718", "347", "929"], ["10035", "10003", "10002", "10001", "10029", "10016"], ["es", "zh", "ru", "ht", "ko", "ar", "pl", "fr", "it"], NameTheme.Northeast, new Coast(150, 28)),
        new("Los Angeles", "CA", "Los Angeles", 34.0491, -118.2906, Pacific, 12.8, 30, ["213", "323", "310", "424", "818", "747", "626", "562"], ["90028", "90033", "90057", "90007", "90011", "90022"], ["es", "ko", "zh", "tl", "vi", "fa", "ar", "ja"], NameTheme.Pacific, new Coast(225, 22)),
        new("Chicago", "IL", "Cook", 41.8757, -87.6690, Central, 9.3, 25, ["312", "872", "773", "708", "847", "224", "630"], ["60607", "60628", "60612", "60623", "60619", "60644"], ["es", "pl", "ar", "tl", "hi"], NameTheme.Midwest, new Coast(90, 4)),
        new("Houston", "TX", "Harris", 29.7705, -95.4090, Central, 7.3, 28, ["713", "281", "832", "346"], ["77018", "77080", "77055", "77058", "77011", "77008"], ["es", "vi", "zh", "ar"], NameTheme.Texas, new Coast(135, 40)),
        new("Phoenix", "AZ", "Maricopa", 33.4956, -112.0736, "America/Phoenix", 5.0, 25, ["602", "480", "623"], ["85016", "85012", "85021", "85051", "85013", "85032"], ["es", "nv"], NameTheme.Desert),
        new("Philadelphia", "PA", "Philadelphia", 39.9855, -75.1589, Eastern, 6.2, 20, ["215", "267", "445", "610", "484"], ["19122", "19104", "19144", "19123", "19139", "19124"], ["es", "zh", "vi", "ru"], NameTheme.Northeast),
        new("San Antonio", "TX", "Bexar", 29.4545, -98.5111, Central, 2.6, 18, ["210", "726"], ["78207", "78216", "78201", "78259", "78212", "78240"], ["es"], NameTheme.Texas),
        new("San Diego", "CA", "San Diego", 32.7541, -117.1384, Pacific, 3.3, 18, ["619", "858", "760"], ["92115", "92105", "92110", "92108", "92102", "92123"], ["es", "tl", "vi"], NameTheme.Pacific, new Coast(260, 9)),
        new("Dallas", "TX", "Dallas", 32.8007, -96.8067, Central, 7.8, 28, ["214", "469", "972", "945"], ["75208", "75216", "75201", "75235", "75209", "75215"], ["es", "vi"], NameTheme.Texas),
        new("Austin", "TX", "Travis", 30.2748, -97.7276, Central, 2.4, 18, ["512", "737"], ["78702", "78746", "78704", "78751", "78745", "78750"], ["es", "vi", "hi"], NameTheme.Texas),
        new("Jacksonville", "FL", "Duval", 30.2887, -81.6268, Eastern, 1.7, 18, ["904"], ["32216", "32210", "32206", "32207", "32254", "32258"], ["es", "tl"], NameTheme.Florida, new Coast(90, 22)),
        new("San Jose", "CA", "Santa Clara", 37.3332, -121.9037, Pacific, 2.0, 15, ["408", "669"], ["95126", "95128", "95138", "95110", "95131", "95119"], ["es", "vi", "zh", "hi", "tl"], NameTheme.Pacific),
        new("Columbus", "OH", "Franklin", 39.9673, -82.9924, Eastern, 2.2, 15, ["614", "380"], ["43215", "43201", "43219", "43228", "43229", "43230"], ["es", "ar"], NameTheme.Midwest),
        new("Charlotte", "NC", "Mecklenburg", 35.1999, -80.8119, Eastern, 2.8, 18, ["704", "980"], ["28211", "28262", "28212", "28206", "28217", "28215"], ["es", "vi"], NameTheme.Southeast),
        new("Indianapolis", "IN", "Marion", 39.7985, -86.1204, "America/Indiana/Indianapolis", 2.1, 18, ["317", "463"], ["46219", "46204", "46256", "46220", "46205", "46208"], ["es"], NameTheme.Midwest),
        new("San Francisco", "CA", "San Francisco", 37.7729, -122.4189, Pacific, 4.6, 10, ["415", "628"], ["94110", "94103", "94102", "94117", "94115", "94122"], ["zh", "es", "tl", "ru"], NameTheme.Pacific, new Coast(270, 7)),
        new("Seattle", "WA", "King", 47.5940, -122.3210, Pacific, 4.0, 18, ["206", "425", "253"], ["98168", "98101", "98118", "98144", "98133", "98103"], ["es", "vi", "zh", "ko", "tl"], NameTheme.Northwest, new Coast(270, 6)),
        new("Denver", "CO", "Denver", 39.7376, -104.9928, Mountain, 3.0, 20, ["303", "720", "983"], ["80205", "80206", "80236", "80219", "80204", "80216"], ["es", "ru", "vi"], NameTheme.Mountain),
        new("Washington", "DC", "District of Columbia", 38.9075, -77.0105, Eastern, 6.3, 18, ["202", "771"], ["20002", "20001", "20020", "20005", "20009", "20011"], ["es", "fr", "ar", "ko"], NameTheme.Northeast),
        new("Nashville", "TN", "Davidson", 36.1564, -86.7917, Central, 2.0, 18, ["615", "629"], ["37217", "37203", "37209", "37212", "37208", "37220"], ["es", "ar"], NameTheme.Southeast),
        new("Oklahoma City", "OK", "Oklahoma", 35.4984, -97.5308, Central, 1.4, 15, ["405", "572"], ["73105", "73118", "73112", "73114", "73139", "73108"], ["es", "vi"], NameTheme.Texas),
        new("El Paso", "TX", "El Paso", 31.7780, -106.4532, Mountain, 0.9, 12, ["915"], ["79902", "79907", "79905", "79904", "79915", "79930"], ["es"], NameTheme.Desert),
        new("Boston", "MA", "Suffolk", 42.3366, -71.0687, Eastern, 4.9, 18, ["617", "857", "781", "339"], ["02118", "02127", "02111", "02119", "02114", "02116"], ["es", "pt", "ht", "zh"], NameTheme.Northeast, new Coast(100, 4)),
        new("Portland", "OR", "Multnomah", 45.5176, -122.6311, Pacific, 2.5, 16, ["503", "971"], ["97233", "97220", "97223", "97214", "97205", "97267"], ["es", "vi", "ru"], NameTheme.Northwest),
        new("Las Vegas", "NV", "Clark", 36.1400, -115.1402, Pacific, 2.3, 15, ["702", "725"], ["89104", "89146", "89121", "89101", "89119", "89129"], ["es", "tl"], NameTheme.Desert),
        new("Detroit", "MI", "Wayne", 42.3707, -83.0767, "America/Detroit", 4.3, 22, ["313", "248", "586", "734"], ["48208", "48201", "48207", "48234", "48206", "48202"], ["ar", "es"], NameTheme.Midwest, new Coast(150, 4)),
        new("Memphis", "TN", "Shelby", 35.1390, -89.9961, Central, 1.3, 15, ["901"], ["38104", "38134", "38105", "38117", "38118", "38114"], ["es"], NameTheme.Southeast),
        new("Louisville", "KY", "Jefferson", 38.2215, -85.7279, "America/Kentucky/Louisville", 1.3, 15, ["502"], ["40207", "40220", "40217", "40214", "40299", "40218"], ["es"], NameTheme.Southeast),
        new("Baltimore", "MD", "Baltimore City", 39.3030, -76.6165, Eastern, 2.8, 16, ["410", "443", "667"], ["21218", "21202", "21215", "21201", "21223", "21224"], ["es", "ko"], NameTheme.Northeast, new Coast(120, 18)),
        new("Milwaukee", "WI", "Milwaukee", 43.0605, -87.9478, Central, 1.6, 14, ["414", "262"], ["53212", "53204", "53214", "53208", "53215", "53223"], ["es", "hmn"], NameTheme.Midwest, new Coast(90, 5)),
        new("Albuquerque", "NM", "Bernalillo", 35.0854, -106.6089, Mountain, 0.9, 12, ["505"], ["87108", "87102", "87105", "87110", "87107", "87106"], ["es", "nv"], NameTheme.Desert),
        new("Tucson", "AZ", "Pima", 32.2400, -110.9263, "America/Phoenix", 1.0, 14, ["520"], ["85712", "85716", "85711", "85745", "85719", "85705"], ["es"], NameTheme.Desert),
        new("Fresno", "CA", "Fresno", 36.7611, -119.7971, Pacific, 1.0, 10, ["559"], ["93726", "93721", "93728", "93706", "93720", "93725"], ["es", "hmn"], NameTheme.Pacific),
        new("Sacramento", "CA", "Sacramento", 38.5727, -121.4380, Pacific, 2.4, 15, ["916", "279"], ["95823", "95816", "95826", "95825", "95811", "95838"], ["es", "hmn", "ru"], NameTheme.Pacific),
        new("Kansas City", "MO", "Jackson", 39.0633, -94.5624, Central, 2.2, 20, ["816", "913"], ["64108", "64111", "64132", "64128", "64127", "64116"], ["es"], NameTheme.Midwest),
        new("Atlanta", "GA", "Fulton", 33.7684, -84.3829, Eastern, 6.2, 28, ["404", "470", "678", "770"], ["30303", "30308", "30340", "30338", "30349", "30328"], ["es", "ko", "vi"], NameTheme.Southeast),
        new("Miami", "FL", "Miami-Dade", 25.7906, -80.2292, Eastern, 6.1, 22, ["305", "786", "954", "754"], ["33169", "33142", "33137", "33161", "33157", "33150"], ["es", "ht", "pt", "fr"], NameTheme.Florida, new Coast(90, 5)),
        new("Omaha", "NE", "Douglas", 41.2549, -95.9879, Central, 1.0, 12, ["402", "531"], ["68105", "68104", "68152", "68102", "68137", "68107"], ["es"], NameTheme.Midwest),
        new("Raleigh", "NC", "Wake", 35.8305, -78.6292, Eastern, 1.5, 18, ["919", "984"], ["27610", "27609", "27615", "27604", "27617", "27612"], ["es", "hi"], NameTheme.Southeast),
        new("Minneapolis", "MN", "Hennepin", 44.9656, -93.2734, Central, 3.7, 22, ["612", "651", "763", "952"], ["55404", "55432", "55408", "55428", "55441", "55413"], ["hmn", "es"], NameTheme.Midwest),
        new("Tampa", "FL", "Hillsborough", 27.9849, -82.4508, Eastern, 3.2, 20, ["813", "727", "656"], ["33605", "33610", "33617", "33603", "33612", "33615"], ["es"], NameTheme.Florida, new Coast(200, 6)),
        new("New Orleans", "LA", "Orleans", 29.9623, -90.0896, Central, 1.3, 10, ["504"], ["70119", "70125", "70115", "70127", "70123", "70121"], ["es", "vi", "fr"], NameTheme.Southeast, new Coast(0, 5)),
        new("Cleveland", "OH", "Cuyahoga", 41.4910, -81.6657, Eastern, 2.1, 18, ["216", "440"], ["44115", "44109", "44113", "44106", "44130", "44125"], ["es", "ar"], NameTheme.Midwest, new Coast(330, 2.5)),
        new("Pittsburgh", "PA", "Allegheny", 40.4460, -79.9711, Eastern, 2.4, 18, ["412", "878"], ["15206", "15203", "15201", "15221", "15217", "15233"], ["es"], NameTheme.Northeast),
        new("St. Louis", "MO", "St. Louis City", 38.6348, -90.2517, Central, 2.8, 20, ["314", "636"], ["63118", "63108", "63103", "63141", "63114", "63110"], ["es"], NameTheme.Midwest),
        new("Cincinnati", "OH", "Hamilton", 39.1348, -84.5004, Eastern, 2.3, 18, ["513", "283"], ["45219", "45206", "45241", "45220", "45202", "45249"], ["es"], NameTheme.Midwest),
        new("Orlando", "FL", "Orange", 28.5526, -81.3895, Eastern, 2.7, 20, ["407", "689", "321"], ["32803", "32808", "32809", "32819", "32806", "32804"], ["es", "pt", "ht"], NameTheme.Florida),
        new("Salt Lake City", "UT", "Salt Lake", 40.6997, -111.8809, Mountain, 1.3, 18, ["801", "385"], ["84107", "84102", "84123", "84115", "84106", "84101"], ["es"], NameTheme.Mountain),
        new("Boise", "ID", "Ada", 43.6121, -116.2662, "America/Boise", 0.8, 12, ["208", "986"], ["83704", "83702", "83706", "83709", "83703", "83713"], ["es"], NameTheme.Mountain),
        new("Birmingham", "AL", "Jefferson", 33.5051, -86.8046, Central, 1.1, 15, ["205", "659"], ["35204", "35211", "35222", "35226", "35233", "35205"], ["es"], NameTheme.Southeast),
        new("Richmond", "VA", "Richmond City", 37.5404, -77.4470, Eastern, 1.3, 14, ["804"], ["23230", "23224", "23220", "23223", "23236", "23235"], ["es"], NameTheme.Southeast),
        new("Honolulu", "HI", "Honolulu", 21.3184, -157.8595, "Pacific/Honolulu", 1.0, 8, ["808"], ["96819", "96813", "96817", "96814", "96818", "96821"], ["ja", "tl", "ko", "zh"], NameTheme.Hawaii, new Coast(190, 2.5)),
        new("Anchorage", "AK", "Anchorage", 61.1894, -149.8635, "America/Anchorage", 0.4, 7, ["907"], ["99508", "99503", "99518", "99501", "99507", "99515"], ["tl", "ko", "ru"], NameTheme.Alaska, new Coast(290, 4)),
        new("San Juan", "PR", "San Juan", 18.4000, -66.0739, "America/Puerto_Rico", 2.0, 8, ["787", "939"], ["00921", "00928", "00918", "00902", "00936", "00935"], ["en"], NameTheme.PuertoRico, new Coast(0, 6)),
    ];

    private static readonly double[] Cumulative = Accumulate();

    /// <summary>A metro with probability proportional to its weight, for a uniform draw in [0, 1).</summary>
    public static Metro Pick(double uniform)
    {
        var target = uniform * Cumulative[^1];
        var index = Array.BinarySearch(Cumulative, target);
        index = index < 0 ? ~index : index + 1;
        return All[Math.Min(index, All.Length - 1)];
    }

    private static double[] Accumulate()
    {
        var sums = new double[All.Length];
        var total = 0.0;
        for (var i = 0; i < All.Length; i++) sums[i] = total += All[i].Weight;
        return sums;
    }
}

/// <summary>A neighbourhood of a sample metro: a real ZIP, its centre, and real streets in it.</summary>
internal sealed record Place(string City, string County, string Zip, double Latitude, double Longitude, string AreaCode, int Weight, int MinNumber, int MaxNumber, params string[] Streets)
{
    /// <summary>Queens numbers its buildings by cross street: 31-42 Steinway St.</summary>
    public bool HyphenatedNumbers { get; init; }

    public Site ToSite(SampleMetro metro, Random rng)
    {
        // Within about a kilometre of the ZIP's centre.
        var latitude = Math.Round(Latitude + (rng.NextDouble() - 0.5) * 0.016, 6);
        var longitude = Math.Round(Longitude + (rng.NextDouble() - 0.5) * 0.016 / Math.Cos(Latitude * Math.PI / 180), 6);
        var number = rng.Next(MinNumber, MaxNumber);
        var street = Streets[rng.Next(Streets.Length)];
        var street1 = HyphenatedNumbers ? $"{number / 100}-{number % 100:00} {street}" : $"{number} {street}";
        var street2 = rng.NextDouble() < 0.35 ? $"Suite {rng.Next(1, 5)}{rng.Next(0, 3)}{rng.Next(0, 10)}" : null;
        string[] areaCodes = [AreaCode];
        return new Site(street1, street2, City, metro.State, County, Zip, latitude, longitude, metro.TimeZone, areaCodes,
            metro.Languages, metro.State == "PR", metro.Theme, metro.StateArea, TollFreeTracking: true);
    }
}

internal sealed record SampleMetro(string State, string TimeZone, int Count, string[] Languages, NameTheme Theme, MultiPolygon? StateArea, Place[] Places);

/// <summary>The sample's places: real ZIP codes with coordinates near their centres, real streets, invented numbers.</summary>
internal static class SampleMetros
{
    private static readonly MultiPolygon Arizona = SyntheticDirectory.Outline(
        [-114.05, 37.0, -109.05, 37.0, -109.05, 31.33, -111.07, 31.33, -114.82, 32.49, -114.72, 32.72, -114.43, 34.08, -114.63, 34.87, -114.05, 36.19]);

    private static readonly MultiPolygon Colorado = SyntheticDirectory.Outline([-109.05, 41.0, -102.05, 41.0, -102.05, 37.0, -109.05, 37.0]);

    private static readonly MultiPolygon Washington = SyntheticDirectory.Outline(
        [-124.7, 48.4, -123.2, 49.0, -117.03, 49.0, -117.03, 46.0, -119.0, 46.0, -121.2, 45.6, -122.8, 45.6, -123.9, 46.2, -124.1, 46.9]);

    /// <summary>Kauai, Oahu, Maui and the Big Island: telehealth across the state is a multipolygon.</summary>
    private static readonly MultiPolygon Hawaii = SyntheticDirectory.Outline(
        [-159.80, 21.87, -159.28, 21.87, -159.28, 22.24, -159.80, 22.24],
        [-158.30, 21.25, -157.64, 21.25, -157.64, 21.72, -158.30, 21.72],
        [-156.70, 20.57, -155.97, 20.57, -155.97, 21.03, -156.70, 21.03],
        [-156.07, 18.90, -154.80, 18.90, -154.80, 20.27, -156.07, 20.27]);

    public static readonly SampleMetro[] All =
    [
        new("AZ", "America/Phoenix", 15, ["es", "nv"], NameTheme.Desert, Arizona,
        [
            new("Scottsdale", "Maricopa", "85251", 33.4935, -111.9230, "480", 3, 3000, 7800, "E Camelback Rd", "N Scottsdale Rd", "E Indian School Rd", "N Hayden Rd"),
            new("Scottsdale", "Maricopa", "85260", 33.6050, -111.8960, "480", 1, 7000, 15900, "E Shea Blvd", "N Pima Rd", "N Hayden Rd", "E Raintree Dr"),
            new("Phoenix", "Maricopa", "85016", 33.5040, -112.0300, "602", 1, 1500, 5800, "E Camelback Rd", "N 24th St", "E Highland Ave", "N 32nd St"),
            new("Phoenix", "Maricopa", "85004", 33.4560, -112.0700, "602", 1, 100, 1400, "N Central Ave", "E Roosevelt St", "N 3rd St", "E McDowell Rd"),
            new("Phoenix", "Maricopa", "85013", 33.5050, -112.0830, "602", 1, 500, 4400, "N 7th Ave", "W Camelback Rd", "W Indian School Rd"),
            new("Tempe", "Maricopa", "85281", 33.4230, -111.9400, "480", 1, 100, 1800, "S Mill Ave", "E University Dr", "E Apache Blvd", "S Rural Rd"),
            new("Mesa", "Maricopa", "85201", 33.4300, -111.8400, "480", 1, 100, 1600, "W Main St", "N Country Club Dr", "W University Dr"),
            new("Chandler", "Maricopa", "85225", 33.3120, -111.8400, "480", 1, 100, 3200, "N Arizona Ave", "W Ray Rd", "E Chandler Blvd"),
            new("Glendale", "Maricopa", "85301", 33.5380, -112.1700, "623", 1, 4200, 6900, "W Glendale Ave", "N 59th Ave", "N 51st Ave"),
        ]),
        new("CA", "America/Los_Angeles", 13, ["es", "ko", "zh", "tl", "vi", "fa"], NameTheme.Pacific, null,
        [
            new("Los Angeles", "Los Angeles", "90017", 34.0530, -118.2620, "213", 1, 600, 1400, "W 6th St", "Wilshire Blvd", "S Figueroa St", "W 7th St"),
            new("Los Angeles", "Los Angeles", "90028", 34.0990, -118.3250, "323", 2, 1400, 7000, "Sunset Blvd", "N Vine St", "Hollywood Blvd", "N Cahuenga Blvd"),
            new("Santa Monica", "Los Angeles", "90401", 34.0160, -118.4940, "310", 1, 100, 1500, "Wilshire Blvd", "Santa Monica Blvd", "4th St", "Arizona Ave"),
            new("Pasadena", "Los Angeles", "91101", 34.1470, -118.1400, "626", 1, 100, 1100, "E Colorado Blvd", "S Lake Ave", "E Walnut St"),
            new("Long Beach", "Los Angeles", "90802", 33.7700, -118.1900, "562", 1, 100, 1200, "E Ocean Blvd", "Pine Ave", "E 4th St"),
            new("Van Nuys", "Los Angeles", "91401", 34.1820, -118.4400, "818", 1, 5600, 15500, "Van Nuys Blvd", "Victory Blvd", "Sepulveda Blvd"),
            new("Los Angeles", "Los Angeles", "90025", 34.0450, -118.4470, "310", 1, 10800, 12100, "Santa Monica Blvd", "S Sepulveda Blvd", "Wilshire Blvd"),
            new("Burbank", "Los Angeles", "91502", 34.1800, -118.3090, "818", 1, 100, 700, "N San Fernando Blvd", "W Olive Ave", "N Glenoaks Blvd"),
        ]),
        new("IL", "America/Chicago", 12, ["es", "pl", "ar", "tl"], NameTheme.Midwest, null,
        [
            new("Chicago", "Cook", "60611", 41.8940, -87.6220, "312", 1, 100, 900, "N Michigan Ave", "E Ontario St", "E Chicago Ave"),
            new("Chicago", "Cook", "60614", 41.9210, -87.6480, "773", 2, 1800, 2700, "N Clark St", "W Fullerton Ave", "N Lincoln Ave", "N Halsted St"),
            new("Chicago", "Cook", "60657", 41.9400, -87.6550, "773", 1, 2800, 3500, "N Broadway", "W Belmont Ave", "W Diversey Pkwy"),
            new("Chicago", "Cook", "60607", 41.8800, -87.6520, "312", 1, 100, 1400, "W Madison St", "W Randolph St", "S Halsted St", "W Jackson Blvd"),
            new("Evanston", "Cook", "60201", 42.0500, -87.6880, "847", 1, 500, 2000, "Sherman Ave", "Chicago Ave", "Church St"),
            new("Oak Park", "Cook", "60302", 41.8900, -87.7870, "708", 1, 100, 1200, "Lake St", "Madison St", "S Oak Park Ave"),
            new("Naperville", "DuPage", "60540", 41.7750, -88.1480, "630", 1, 100, 1900, "W Ogden Ave", "S Washington St", "W Jefferson Ave"),
            new("Schaumburg", "Cook", "60173", 42.0560, -88.0480, "847", 1, 900, 1999, "E Golf Rd", "N Meacham Rd", "E Woodfield Rd"),
        ]),
        new("TX", "America/Chicago", 12, ["es", "vi", "zh", "ar"], NameTheme.Texas, null,
        [
            new("Houston", "Harris", "77002", 29.7550, -95.3670, "713", 1, 300, 2500, "Main St", "Travis St", "Louisiana St", "San Jacinto St"),
            new("Houston", "Harris", "77006", 29.7400, -95.3900, "713", 1, 300, 1800, "Westheimer Rd", "Montrose Blvd", "W Alabama St"),
            new("Houston", "Harris", "77030", 29.7060, -95.4020, "713", 1, 6400, 7900, "Fannin St", "Holcombe Blvd", "S Main St"),
            new("Houston", "Harris", "77056", 29.7460, -95.4650, "713", 1, 1200, 5900, "Post Oak Blvd", "San Felipe St", "Sage Rd"),
            new("Houston", "Harris", "77024", 29.7720, -95.5200, "713", 1, 8000, 12900, "Memorial Dr", "Gessner Rd", "Bunker Hill Rd"),
            new("Sugar Land", "Fort Bend", "77479", 29.5850, -95.6350, "281", 1, 2000, 16900, "Highway 6", "Sweetwater Blvd", "Town Center Blvd"),
            new("The Woodlands", "Montgomery", "77380", 30.1650, -95.4650, "281", 1, 1000, 2900, "Lake Robbins Dr", "Woodloch Forest Dr", "Grogans Mill Rd"),
            new("Katy", "Harris", "77450", 29.7500, -95.7500, "281", 1, 500, 3900, "S Mason Rd", "Kingsland Blvd", "Westheimer Pkwy"),
            new("Pasadena", "Harris", "77506", 29.7000, -95.2000, "713", 1, 100, 2800, "Red Bluff Rd", "Shaver St", "Southmore Ave"),
        ]),
        new("FL", "America/New_York", 11, ["es", "ht", "pt", "fr"], NameTheme.Florida, null,
        [
            new("Miami", "Miami-Dade", "33131", 25.7660, -80.1920, "305", 1, 500, 1600, "Brickell Ave", "SE 8th St", "S Miami Ave"),
            new("Miami", "Miami-Dade", "33137", 25.8130, -80.1920, "305", 1, 3500, 5200, "Biscayne Blvd", "NE 2nd Ave", "NE 40th St"),
            new("Miami Beach", "Miami-Dade", "33139", 25.7820, -80.1340, "305", 1, 100, 1900, "Collins Ave", "Alton Rd", "Washington Ave"),
            new("Coral Gables", "Miami-Dade", "33134", 25.7500, -80.2650, "305", 1, 100, 2600, "Ponce de Leon Blvd", "SW 8th St", "Coral Way"),
            new("Hialeah", "Miami-Dade", "33012", 25.8600, -80.3100, "786", 1, 100, 1900, "W 49th St", "Palm Ave", "W 16th Ave"),
            new("Miami", "Miami-Dade", "33176", 25.6650, -80.3600, "786", 1, 8900, 13900, "N Kendall Dr", "SW 117th Ave"),
            new("Fort Lauderdale", "Broward", "33301", 26.1200, -80.1400, "954", 1, 100, 1500, "E Las Olas Blvd", "SE 3rd Ave", "E Broward Blvd"),
            new("Boca Raton", "Palm Beach", "33432", 26.3550, -80.0850, "561", 1, 100, 1900, "N Federal Hwy", "E Palmetto Park Rd", "NE 5th Ave"),
        ]),
        new("NY", "America/New_York", 13, ["es", "zh", "ru", "ht", "ko", "pl", "it"], NameTheme.Northeast, null,
        [
            new("New York", "New York", "10001", 40.7500, -73.9970, "212", 1, 100, 500, "W 34th St", "7th Ave", "W 26th St", "8th Ave"),
            new("New York", "New York", "10016", 40.7450, -73.9790, "646", 1, 100, 600, "Lexington Ave", "E 34th St", "Park Ave S", "3rd Ave"),
            new("New York", "New York", "10027", 40.8100, -73.9500, "212", 1, 100, 400, "W 125th St", "Malcolm X Blvd", "Adam Clayton Powell Jr Blvd"),
            new("Brooklyn", "Kings", "11201", 40.6930, -73.9900, "718", 1, 20, 400, "Court St", "Atlantic Ave", "Livingston St"),
            new("Brooklyn", "Kings", "11215", 40.6680, -73.9850, "347", 1, 20, 400, "7th Ave", "5th Ave", "Union St"),
            new("Bronx", "Bronx", "10451", 40.8200, -73.9230, "718", 1, 100, 600, "Grand Concourse", "E 149th St", "Melrose Ave"),
            new("Astoria", "Queens", "11103", 40.7620, -73.9130, "718", 1, 2800, 4699, "Steinway St", "31st St", "Broadway") { HyphenatedNumbers = true },
            new("Jamaica", "Queens", "11432", 40.7120, -73.7950, "929", 1, 8200, 17999, "Hillside Ave", "Jamaica Ave", "Parsons Blvd") { HyphenatedNumbers = true },
            new("Staten Island", "Richmond", "10301", 40.6380, -74.0850, "718", 1, 100, 900, "Victory Blvd", "Bay St", "Richmond Terrace"),
        ]),
        new("CO", "America/Denver", 9, ["es", "ru", "vi"], NameTheme.Mountain, Colorado,
        [
            new("Denver", "Denver", "80202", 39.7500, -104.9970, "303", 1, 1400, 2100, "Larimer St", "17th St", "Wazee St", "Blake St"),
            new("Denver", "Denver", "80218", 39.7330, -104.9720, "720", 1, 900, 1900, "E Colfax Ave", "N Downing St", "E 17th Ave"),
            new("Denver", "Denver", "80209", 39.7080, -104.9650, "303", 1, 100, 1100, "S Broadway", "E Alameda Ave", "S Downing St"),
            new("Aurora", "Arapahoe", "80012", 39.6990, -104.8400, "720", 1, 700, 1700, "S Havana St", "E Mississippi Ave", "S Peoria St"),
            new("Lakewood", "Jefferson", "80226", 39.7080, -105.0700, "303", 1, 100, 1100, "W Alameda Ave", "S Wadsworth Blvd", "S Kipling Pkwy"),
            new("Boulder", "Boulder", "80302", 40.0170, -105.2800, "303", 1, 900, 2900, "Pearl St", "Broadway", "Canyon Blvd"),
            new("Englewood", "Arapahoe", "80113", 39.6450, -104.9850, "303", 1, 3000, 4900, "S Broadway", "E Hampden Ave", "E Girard Ave"),
        ]),
        new("WA", "America/Los_Angeles", 9, ["es", "vi", "zh", "ko", "tl", "ru"], NameTheme.Northwest, Washington,
        [
            new("Seattle", "King", "98101", 47.6110, -122.3330, "206", 1, 400, 1900, "Pine St", "4th Ave", "6th Ave", "Olive Way"),
            new("Seattle", "King", "98122", 47.6130, -122.3050, "206", 1, 500, 1600, "E Madison St", "E Union St", "12th Ave", "E Pike St"),
            new("Seattle", "King", "98103", 47.6650, -122.3420, "206", 1, 300, 4800, "N 45th St", "Stone Way N", "Aurora Ave N", "N 36th St"),
            new("Seattle", "King", "98105", 47.6610, -122.3130, "206", 1, 4000, 5200, "University Way NE", "NE 45th St", "Roosevelt Way NE"),
            new("Bellevue", "King", "98004", 47.6150, -122.2000, "425", 1, 100, 1200, "Bellevue Way NE", "NE 8th St", "112th Ave NE"),
            new("Tacoma", "Pierce", "98402", 47.2530, -122.4410, "253", 1, 700, 1500, "Pacific Ave", "S 11th St", "Commerce St"),
            new("Everett", "Snohomish", "98201", 47.9790, -122.2060, "425", 1, 2500, 3300, "Colby Ave", "Hewitt Ave", "Rucker Ave"),
            new("Renton", "King", "98057", 47.4800, -122.2150, "425", 1, 100, 900, "S 3rd St", "Rainier Ave S", "Logan Ave S"),
        ]),
        new("AK", "America/Anchorage", 2, ["tl", "ko", "ru"], NameTheme.Alaska, null,
        [
            new("Anchorage", "Anchorage", "99501", 61.2150, -149.8780, "907", 1, 300, 1200, "W 4th Ave", "E 5th Ave", "C St"),
            new("Anchorage", "Anchorage", "99503", 61.1900, -149.8800, "907", 1, 100, 3900, "Spenard Rd", "E Fireweed Ln", "C St"),
        ]),
        new("HI", "Pacific/Honolulu", 2, ["ja", "tl", "ko", "zh"], NameTheme.Hawaii, Hawaii,
        [
            new("Honolulu", "Honolulu", "96813", 21.3100, -157.8580, "808", 1, 500, 1500, "S King St", "Bishop St", "S Beretania St"),
            new("Honolulu", "Honolulu", "96814", 21.2950, -157.8420, "808", 1, 1100, 1800, "Kapiolani Blvd", "Ala Moana Blvd", "Keeaumoku St"),
        ]),
        new("PR", "America/Puerto_Rico", 2, ["en"], NameTheme.PuertoRico, null,
        [
            new("San Juan", "San Juan", "00907", 18.4530, -66.0700, "787", 1, 1000, 1500, "Ave Ashford", "Ave Magdalena"),
            new("San Juan", "San Juan", "00918", 18.4220, -66.0580, "939", 1, 200, 1200, "Ave Ponce de León", "Ave Muñoz Rivera", "Ave F.D. Roosevelt"),
        ]),
    ];
}
