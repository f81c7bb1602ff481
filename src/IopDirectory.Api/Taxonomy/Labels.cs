using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Insurance;
using IopDirectory.Programs;

namespace IopDirectory.Taxonomy;

/// <summary>Human labels for every enum value, shown by filter UIs and in the schema's descriptions.</summary>
public static class Labels
{
    private static readonly Dictionary<Enum, string> All = new()
    {
        [LevelOfCare.Detox] = "Detox (medically supervised withdrawal)",
        [LevelOfCare.Residential] = "Residential / inpatient (24-hour care)",
        [LevelOfCare.PartialHospitalization] = "Partial hospitalization (PHP, day treatment)",
        [LevelOfCare.IntensiveOutpatient] = "Intensive outpatient (IOP, ASAM level 2.1)",
        [LevelOfCare.Outpatient] = "Standard outpatient",
        [LevelOfCare.Aftercare] = "Aftercare / continuing care",

        [Population.Adolescents] = "Adolescents",
        [Population.YoungAdults] = "Young adults",
        [Population.Adults] = "Adults",
        [Population.Seniors] = "Seniors / older adults",
        [Population.Women] = "Women",
        [Population.Men] = "Men",
        [Population.PregnantPostpartum] = "Pregnant / postpartum women",
        [Population.Veterans] = "Veterans",
        [Population.ActiveDutyMilitary] = "Active-duty military",
        [Population.MilitaryFamilies] = "Military families",
        [Population.Lgbtq] = "LGBTQ+",
        [Population.CriminalJustice] = "Referred by the justice system",
        [Population.TraumaSurvivors] = "Survivors of trauma or abuse",
        [Population.DeafHardOfHearing] = "Deaf and hard of hearing",

        [Condition.AlcoholUse] = "Alcohol use disorder",
        [Condition.OpioidUse] = "Opioid use disorder",
        [Condition.StimulantUse] = "Stimulant use disorder (cocaine, methamphetamine)",
        [Condition.CannabisUse] = "Cannabis use disorder",
        [Condition.BenzodiazepineUse] = "Benzodiazepine use disorder",
        [Condition.GamblingDisorder] = "Gambling disorder",
        [Condition.Depression] = "Co-occurring depression",
        [Condition.Anxiety] = "Co-occurring anxiety",
        [Condition.Ptsd] = "Co-occurring PTSD",
        [Condition.Bipolar] = "Co-occurring bipolar disorder",
        [Condition.EatingDisorder] = "Co-occurring eating disorder",

        [Accreditation.JointCommission] = "The Joint Commission",
        [Accreditation.Carf] = "CARF International",
        [Accreditation.LegitScript] = "LegitScript certified",
        [Accreditation.StateLicense] = "State licensed",

        [ServiceCategory.CoreCounseling] = "Core counseling",
        [ServiceCategory.SpecializedGroup] = "Specialized groups",
        [ServiceCategory.TherapyApproach] = "Therapy approaches",
        [ServiceCategory.Medication] = "Medication and co-occurring care",
        [ServiceCategory.SupportGroup] = "12-step and peer support",
        [ServiceCategory.Holistic] = "Holistic and complementary therapies",
        [ServiceCategory.LifeSkills] = "Life skills and employment",
        [ServiceCategory.Aftercare] = "Aftercare",

        [PayerType.Medicaid] = "Medicaid",
        [PayerType.Medicare] = "Medicare",
        [PayerType.PrivateInsurance] = "Private health insurance",
        [PayerType.Military] = "Military insurance (TRICARE)",
        [PayerType.StateFinanced] = "State-financed plan other than Medicaid",
        [PayerType.SelfPay] = "Cash or self-payment",
        [PayerType.SlidingScale] = "Sliding fee scale",
        [PayerType.PaymentAssistance] = "Payment assistance",
        [PayerType.Free] = "Free of charge",

        [TrackKind.Day] = "Day track",
        [TrackKind.Evening] = "Evening track",
        [TrackKind.Weekend] = "Weekend track",

        [PhoneKind.Main] = "Main line",
        [PhoneKind.Intake] = "Intake / admissions",

        [DisplayedNumberKind.FacilityLine] = "The centre's own line",
        [DisplayedNumberKind.TrackingNumber] = "Tracking number forwarded to the centre",
        [DisplayedNumberKind.DirectoryHotline] = "The directory's helpline",

        [RouteDestinationKind.Facility] = "A centre's intake line",
        [RouteDestinationKind.PartnerNetwork] = "A partner network's call centre",
    };

    public static string Of(Enum value) => All.TryGetValue(value, out var label) ? label : value.ToString();

    /// <summary>The GraphQL enum value name, e.g. PartialHospitalization → PARTIAL_HOSPITALIZATION.</summary>
    public static string ConstantCase(Enum value)
    {
        var name = value.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) builder.Append('_');
            builder.Append(char.ToUpperInvariant(name[i]));
        }
        return builder.ToString();
    }
}
