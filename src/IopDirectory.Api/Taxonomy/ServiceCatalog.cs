namespace IopDirectory.Taxonomy;

/// <summary>
/// The service vocabulary. Codes are ours and stable; the SAMHSA code is given where the locator
/// has an equivalent (see ../shared/data/samhsa/service_codes.jsonl).
/// </summary>
public static class ServiceCatalog
{
    public static readonly IReadOnlyList<ServiceDefinition> All =
    [
        Define("INDIVIDUAL_COUNSELING", "Individual counseling", ServiceCategory.CoreCounseling, "ICO"),
        Define("GROUP_COUNSELING", "Group counseling", ServiceCategory.CoreCounseling, "GCO"),
        Define("FAMILY_THERAPY", "Family therapy", ServiceCategory.CoreCounseling, "FCO"),
        Define("COUPLES_COUNSELING", "Marital / couples counseling", ServiceCategory.CoreCounseling, "MCO"),
        Define("MEDICATION_MANAGEMENT", "Medication management", ServiceCategory.Medication, "MPD"),
        Define("PSYCHOEDUCATION", "Psychoeducation groups (addiction, stages of change, recovery)", ServiceCategory.CoreCounseling, "SAE"),

        Define("GENDER_SPECIFIC_GROUPS", "Gender-specific groups", ServiceCategory.SpecializedGroup),
        Define("LGBTQ_GROUPS", "LGBTQ+ groups", ServiceCategory.SpecializedGroup, "GL"),
        Define("TRAUMA_SURVIVOR_GROUPS", "Groups for abuse and trauma survivors", ServiceCategory.SpecializedGroup, "TRMA"),

        Define("CBT", "Cognitive behavioral therapy (CBT)", ServiceCategory.TherapyApproach, "CBT"),
        Define("DBT", "Dialectical behavior therapy (DBT)", ServiceCategory.TherapyApproach, "DBT"),
        Define("MOTIVATIONAL_INTERVIEWING", "Motivational interviewing", ServiceCategory.TherapyApproach, "MOTI"),
        Define("CONTINGENCY_MANAGEMENT", "Contingency management", ServiceCategory.TherapyApproach, "CMI"),
        Define("TRAUMA_THERAPY", "Trauma-related counseling", ServiceCategory.TherapyApproach, "TRC"),
        Define("RELAPSE_PREVENTION", "Relapse prevention", ServiceCategory.TherapyApproach, "RELP"),
        Define("ANGER_MANAGEMENT", "Anger management", ServiceCategory.TherapyApproach, "ANG"),

        Define("MAT_BUPRENORPHINE", "Medication for opioid use disorder: buprenorphine", ServiceCategory.Medication, "BU"),
        Define("MAT_NALTREXONE", "Medication for alcohol / opioid use disorder: naltrexone", ServiceCategory.Medication, "NU"),
        Define("MAT_METHADONE", "Medication for opioid use disorder: methadone", ServiceCategory.Medication, "MU"),
        Define("MAT_ACAMPROSATE", "Medication for alcohol use disorder: acamprosate", ServiceCategory.Medication, "ACM"),
        Define("CO_OCCURRING_TREATMENT", "Treatment of co-occurring mental-health disorders", ServiceCategory.Medication, "CO"),

        Define("TWELVE_STEP_FACILITATION", "12-step facilitation (AA / NA participation encouraged)", ServiceCategory.SupportGroup, "TWFA"),
        Define("ONSITE_TWELVE_STEP_MEETINGS", "On-site 12-step meetings", ServiceCategory.SupportGroup, "SHG"),
        Define("PEER_SUPPORT", "Peer support / recovery coaching", ServiceCategory.SupportGroup, "PEER"),

        Define("ART_THERAPY", "Art therapy", ServiceCategory.Holistic),
        Define("MUSIC_THERAPY", "Music therapy", ServiceCategory.Holistic),
        Define("YOGA", "Yoga", ServiceCategory.Holistic),
        Define("FITNESS", "Fitness", ServiceCategory.Holistic),
        Define("ACUPUNCTURE", "Acupuncture", ServiceCategory.Holistic, "ACU"),
        Define("EQUINE_THERAPY", "Equine-assisted therapy", ServiceCategory.Holistic),
        Define("ADVENTURE_THERAPY", "Adventure / wilderness therapy", ServiceCategory.Holistic),
        Define("NEUROFEEDBACK", "Neurofeedback", ServiceCategory.Holistic),
        Define("MINDFULNESS", "Mindfulness and meditation", ServiceCategory.Holistic),

        Define("LIFE_SKILLS", "Life-skills training (stress, problem solving, communication)", ServiceCategory.LifeSkills, "SSD"),
        Define("EMPLOYMENT_SUPPORT", "Employment counseling (resume building, job applications)", ServiceCategory.LifeSkills, "EMP"),

        Define("AFTERCARE_PLANNING", "Aftercare / continuing care planning", ServiceCategory.Aftercare, "ACC"),
        Define("SOBER_LIVING_REFERRAL", "Sober living arrangements", ServiceCategory.Aftercare, "HS"),
        Define("DISCHARGE_PLANNING", "Discharge planning", ServiceCategory.Aftercare, "DP"),
    ];

    private static readonly Dictionary<string, ServiceDefinition> ByCode = All.ToDictionary(s => s.Code);

    public static bool Exists(string code) => ByCode.ContainsKey(code);

    public static ServiceDefinition? Find(string code) => ByCode.GetValueOrDefault(code);

    private static ServiceDefinition Define(string code, string label, ServiceCategory category, string? samhsa = null) =>
        new() { Code = code, Label = label, Category = category, SamhsaCode = samhsa };
}
