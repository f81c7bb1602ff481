using System.Text.RegularExpressions;
using IopDirectory.Insurance;
using IopDirectory.Taxonomy;

namespace IopDirectory.Importing.Samhsa;

/// <summary>One code of the locator's taxonomy: its category (SET, PAY...), its code (OIT, MD...) and its printed name.</summary>
public sealed record SamhsaService(string CategoryCode, string Code, string Name);

/// <summary>
/// Turns the service names the locator prints back into its codes, and codes into this directory's vocabulary.
/// Names are matched loosely (case, punctuation, a trailing "(...)", "offered"/"approach"/"services", "abuse" for
/// "use", "clients" for "persons"), because the locator's wording has moved since the taxonomy file was written;
/// <see cref="Aliases"/> covers the current wording that loose matching cannot.
/// </summary>
public static partial class SamhsaServiceCodes
{
    public const string IntensiveOutpatient = "OIT";

    /// <summary>Current FindTreatment.gov wording for codes whose name in the taxonomy file differs more than loosely.</summary>
    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["Residential/24-hour residential"] = "RES",
        ["Hospital inpatient/24-hour hospital inpatient"] = "HI",
        ["Contingency management/motivational incentives"] = "CMI",
        ["Matrix Model"] = "MXM",
        ["Substance use disorder counseling"] = "SACA",
        ["Substance use disorder education"] = "SAE",
        ["Mentoring/peer support"] = "PEER",
        ["Recovery coach"] = "PEER",
        ["Members of military families"] = "MF",
        ["Criminal justice (other than DUI/DWI)/Forensic clients"] = "CJ",
        ["Sign language services for the deaf and hard of hearing"] = "AH",
        ["State Substance use treatment agency"] = "STAG",
        ["Federal military insurance (e.g., TRICARE)"] = "MI",
        ["Medication for mental disorders"] = "MPD",
        ["Lesbian, gay, bisexual, transgender, or queer/questioning (LGBTQ) clients"] = "GL",
        ["Treatment for other addiction disorder"] = "ADD",
        ["Naltrexone (extended-release, injectable)"] = "VTRL",
        ["Federally-certified Opioid Treatment Program"] = "OTP",
        ["SAMHSA certification for opioid treatment program (OTP)"] = "OTP",
        ["American Indian or Alaska Native languages"] = "NX",
        ["Other languages (excluding Spanish)"] = "FX",
    };

    /// <summary>The code a printed service name stands for, preferring the row's own category; null when unknown.</summary>
    public static SamhsaService? Find(string? categoryCode, string name)
    {
        var key = Key(name);
        if (categoryCode is not null && Lookup.ByCategoryAndName.TryGetValue((categoryCode.Trim(), key), out var inCategory)) return inCategory;
        return Lookup.ByName.GetValueOrDefault(key);
    }

    public static SamhsaService? ByServiceCode(string code) => Lookup.ByCode.GetValueOrDefault(code);

    /// <summary>Indexes over <see cref="All"/>, built on first use (static fields of partial classes initialise in no set order).</summary>
    private static class Lookup
    {
        public static readonly Dictionary<string, SamhsaService> ByCode = All.ToDictionary(s => s.Code);

        public static readonly Dictionary<(string Category, string Key), SamhsaService> ByCategoryAndName =
            All.ToDictionary(s => (s.CategoryCode, Key(s.Name)));

        public static readonly Dictionary<string, SamhsaService> ByName = BuildByName();

        private static Dictionary<string, SamhsaService> BuildByName()
        {
            var byName = new Dictionary<string, SamhsaService>();
            // A loose name shared by two categories would be ambiguous without its category: leave it to ByCategoryAndName.
            foreach (var group in All.GroupBy(s => Key(s.Name)).Where(g => g.Count() == 1))
                byName[group.Key] = group.Single();
            foreach (var (alias, code) in Aliases)
                byName[Key(alias)] = ByCode[code];
            return byName;
        }
    }

    internal static string Key(string name)
    {
        var key = Parenthetical().Replace(name.Trim().ToLowerInvariant(), "");
        key = key.Replace("abuse", "use", StringComparison.Ordinal).Replace("clients", "persons", StringComparison.Ordinal);
        key = TrailingWord().Replace(key.Trim(), "");
        return new string([.. key.Where(char.IsLetterOrDigit)]);
    }

    [GeneratedRegex(@"\s*\([^)]*\)")]
    private static partial Regex Parenthetical();

    [GeneratedRegex(@"\s+(offered|approach|services?)$")]
    private static partial Regex TrailingWord();

    public static readonly IReadOnlyDictionary<string, LevelOfCare> LevelsOfCare = new Dictionary<string, LevelOfCare>
    {
        ["DT"] = LevelOfCare.Detox, ["HID"] = LevelOfCare.Detox, ["RD"] = LevelOfCare.Detox, ["OD"] = LevelOfCare.Detox,
        ["RES"] = LevelOfCare.Residential, ["RL"] = LevelOfCare.Residential, ["RS"] = LevelOfCare.Residential,
        ["HI"] = LevelOfCare.Residential, ["HIT"] = LevelOfCare.Residential,
        ["ODT"] = LevelOfCare.PartialHospitalization,
        [IntensiveOutpatient] = LevelOfCare.IntensiveOutpatient,
        ["OP"] = LevelOfCare.Outpatient, ["ORT"] = LevelOfCare.Outpatient, ["OMB"] = LevelOfCare.Outpatient,
        ["ACC"] = LevelOfCare.Aftercare,
    };

    public static readonly IReadOnlyDictionary<string, PayerType> PayerTypes = new Dictionary<string, PayerType>
    {
        ["MD"] = PayerType.Medicaid, ["MC"] = PayerType.Medicare, ["PI"] = PayerType.PrivateInsurance, ["MI"] = PayerType.Military,
        ["SI"] = PayerType.StateFinanced, ["SF"] = PayerType.SelfPay, ["SS"] = PayerType.SlidingScale, ["PA"] = PayerType.PaymentAssistance,
        ["NP"] = PayerType.Free,
    };

    public static readonly IReadOnlyDictionary<string, Population> Populations = new Dictionary<string, Population>
    {
        ["AD"] = Population.Adolescents, ["CHLD"] = Population.Adolescents, ["TAY"] = Population.YoungAdults, ["YAD"] = Population.YoungAdults,
        ["ADLT"] = Population.Adults, ["SE"] = Population.Seniors, ["WN"] = Population.Women, ["MN"] = Population.Men,
        ["PW"] = Population.PregnantPostpartum, ["VET"] = Population.Veterans, ["ADM"] = Population.ActiveDutyMilitary,
        ["MF"] = Population.MilitaryFamilies, ["GL"] = Population.Lgbtq, ["CJ"] = Population.CriminalJustice,
        ["TRMA"] = Population.TraumaSurvivors, ["AH"] = Population.DeafHardOfHearing,
    };

    /// <summary>Only what a code states outright: a detox for a substance, a gambling programme.</summary>
    public static readonly IReadOnlyDictionary<string, Condition> Conditions = new Dictionary<string, Condition>
    {
        ["ADTX"] = Condition.AlcoholUse, ["ODTX"] = Condition.OpioidUse, ["BDTX"] = Condition.BenzodiazepineUse,
        ["CDTX"] = Condition.StimulantUse, ["MDTX"] = Condition.StimulantUse, ["TGD"] = Condition.GamblingDisorder,
    };

    public static readonly IReadOnlyDictionary<string, Accreditation> Accreditations = new Dictionary<string, Accreditation>
    {
        ["JC"] = Accreditation.JointCommission, ["CARF"] = Accreditation.Carf,
        ["STAG"] = Accreditation.StateLicense, ["STDH"] = Accreditation.StateLicense, ["STMH"] = Accreditation.StateLicense,
    };

    /// <summary>Language codes of <see cref="Taxonomy.Languages"/>; languages it does not list (Hebrew, Greek, Lakota...) are left out.</summary>
    public static readonly IReadOnlyDictionary<string, string> Languages = new Dictionary<string, string>
    {
        ["SP"] = "es", ["AH"] = "ase", ["F4"] = "ar", ["F17"] = "zh", ["F19"] = "ht", ["F25"] = "fa", ["F28"] = "fr", ["F30"] = "de",
        ["F36"] = "hi", ["F37"] = "hmn", ["F42"] = "it", ["F43"] = "ja", ["F47"] = "ko", ["F66"] = "pl", ["F67"] = "pt", ["F70"] = "ru",
        ["F81"] = "tl", ["F92"] = "vi", ["N23"] = "nv",
    };
}
