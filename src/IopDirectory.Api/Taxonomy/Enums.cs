namespace IopDirectory.Taxonomy;

/// <summary>The continuum of care a centre may offer (ASAM levels, as directories name them).</summary>
public enum LevelOfCare
{
    Detox,
    Residential,
    PartialHospitalization,
    IntensiveOutpatient,
    Outpatient,
    Aftercare,
}

public enum Population
{
    Adolescents,
    YoungAdults,
    Adults,
    Seniors,
    Women,
    Men,
    PregnantPostpartum,
    Veterans,
    ActiveDutyMilitary,
    MilitaryFamilies,
    Lgbtq,
    CriminalJustice,
    TraumaSurvivors,
    DeafHardOfHearing,
}

public enum Condition
{
    AlcoholUse,
    OpioidUse,
    StimulantUse,
    CannabisUse,
    BenzodiazepineUse,
    GamblingDisorder,
    Depression,
    Anxiety,
    Ptsd,
    Bipolar,
    EatingDisorder,
}

public enum Accreditation
{
    JointCommission,
    Carf,
    LegitScript,
    StateLicense,
}

public enum ServiceCategory
{
    CoreCounseling,
    SpecializedGroup,
    TherapyApproach,
    Medication,
    SupportGroup,
    Holistic,
    LifeSkills,
    Aftercare,
}
