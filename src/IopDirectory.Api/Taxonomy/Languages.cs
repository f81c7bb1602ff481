namespace IopDirectory.Taxonomy;

/// <summary>Languages services are offered in, as ISO 639 codes (ASL is "ase").</summary>
public static class Languages
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["en"] = "English",
        ["es"] = "Spanish",
        ["zh"] = "Chinese",
        ["vi"] = "Vietnamese",
        ["ko"] = "Korean",
        ["tl"] = "Tagalog",
        ["ar"] = "Arabic",
        ["ru"] = "Russian",
        ["fr"] = "French",
        ["ht"] = "Haitian Creole",
        ["pt"] = "Portuguese",
        ["de"] = "German",
        ["it"] = "Italian",
        ["pl"] = "Polish",
        ["hi"] = "Hindi",
        ["fa"] = "Farsi",
        ["ja"] = "Japanese",
        ["hmn"] = "Hmong",
        ["nv"] = "Navajo",
        ["ase"] = "American Sign Language",
    };
}
