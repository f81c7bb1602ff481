namespace IopDirectory.Importing;

/// <summary>
/// The IANA time zone of a US address, for sources that do not say (SAMHSA gives none). One zone per state, then
/// the counties of the thirteen states that span two zones (the county line is the legal boundary), then, where no
/// county is given, an approximate longitude line per split state. Known approximations, documented in
/// Importing/README.md: a few split counties (Gulf FL, Idaho ID, McKenzie ND, Cherry NE...) take their majority
/// zone; the longitude fallback can miss by a county near the line; in Arizona only the Navajo Nation towns listed
/// below keep daylight saving time (America/Denver), the Hopi villages inside it do not.
/// </summary>
public static class UsTimeZones
{
    private static readonly Dictionary<string, string> ByState = new()
    {
        ["AL"] = "America/Chicago", ["AK"] = "America/Anchorage", ["AZ"] = "America/Phoenix", ["AR"] = "America/Chicago",
        ["CA"] = "America/Los_Angeles", ["CO"] = "America/Denver", ["CT"] = "America/New_York", ["DE"] = "America/New_York",
        ["DC"] = "America/New_York", ["FL"] = "America/New_York", ["GA"] = "America/New_York", ["HI"] = "Pacific/Honolulu",
        ["ID"] = "America/Boise", ["IL"] = "America/Chicago", ["IN"] = "America/Indiana/Indianapolis", ["IA"] = "America/Chicago",
        ["KS"] = "America/Chicago", ["KY"] = "America/New_York", ["LA"] = "America/Chicago", ["ME"] = "America/New_York",
        ["MD"] = "America/New_York", ["MA"] = "America/New_York", ["MI"] = "America/Detroit", ["MN"] = "America/Chicago",
        ["MS"] = "America/Chicago", ["MO"] = "America/Chicago", ["MT"] = "America/Denver", ["NE"] = "America/Chicago",
        ["NV"] = "America/Los_Angeles", ["NH"] = "America/New_York", ["NJ"] = "America/New_York", ["NM"] = "America/Denver",
        ["NY"] = "America/New_York", ["NC"] = "America/New_York", ["ND"] = "America/Chicago", ["OH"] = "America/New_York",
        ["OK"] = "America/Chicago", ["OR"] = "America/Los_Angeles", ["PA"] = "America/New_York", ["RI"] = "America/New_York",
        ["SC"] = "America/New_York", ["SD"] = "America/Chicago", ["TN"] = "America/Chicago", ["TX"] = "America/Chicago",
        ["UT"] = "America/Denver", ["VT"] = "America/New_York", ["VA"] = "America/New_York", ["WA"] = "America/Los_Angeles",
        ["WV"] = "America/New_York", ["WI"] = "America/Chicago", ["WY"] = "America/Denver",
        ["PR"] = "America/Puerto_Rico", ["VI"] = "America/St_Thomas", ["GU"] = "Pacific/Guam", ["MP"] = "Pacific/Saipan",
        ["AS"] = "Pacific/Pago_Pago",
    };

    /// <summary>Counties in the other zone of a split state (county names as the Census writes them, without "County").</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> ByCounty = new()
    {
        ["FL"] = Counties("America/Chicago", "Escambia", "Santa Rosa", "Okaloosa", "Walton", "Holmes", "Washington", "Bay", "Jackson", "Calhoun"),
        ["IN"] = Merge(
            Counties("America/Chicago", "Lake", "Porter", "LaPorte", "Newton", "Jasper", "Gibson", "Posey", "Vanderburgh", "Warrick", "Spencer"),
            Counties("America/Indiana/Knox", "Starke"),
            Counties("America/Indiana/Tell_City", "Perry")),
        ["KY"] = Merge(
            Counties("America/Chicago", "Adair", "Allen", "Ballard", "Barren", "Breckinridge", "Butler", "Caldwell", "Calloway", "Carlisle",
                "Christian", "Clinton", "Crittenden", "Cumberland", "Daviess", "Edmonson", "Fulton", "Graves", "Grayson", "Green", "Hancock",
                "Hart", "Henderson", "Hickman", "Hopkins", "Livingston", "Logan", "Lyon", "McCracken", "McLean", "Marshall", "Metcalfe",
                "Monroe", "Muhlenberg", "Ohio", "Russell", "Simpson", "Todd", "Trigg", "Union", "Warren", "Webster"),
            Counties("America/Kentucky/Louisville", "Jefferson"),
            Counties("America/Kentucky/Monticello", "Wayne")),
        ["TN"] = Counties("America/New_York", "Anderson", "Blount", "Bradley", "Campbell", "Carter", "Claiborne", "Cocke", "Grainger", "Greene",
            "Hamblen", "Hamilton", "Hancock", "Hawkins", "Jefferson", "Johnson", "Knox", "Loudon", "McMinn", "Meigs", "Monroe", "Morgan", "Polk",
            "Rhea", "Roane", "Scott", "Sevier", "Sullivan", "Unicoi", "Union", "Washington"),
        ["MI"] = Counties("America/Menominee", "Gogebic", "Iron", "Dickinson", "Menominee"),
        ["ND"] = Counties("America/Denver", "Adams", "Billings", "Bowman", "Dunn", "Golden Valley", "Grant", "Hettinger", "Sioux", "Slope", "Stark"),
        ["SD"] = Counties("America/Denver", "Bennett", "Butte", "Corson", "Custer", "Dewey", "Fall River", "Haakon", "Harding", "Jackson",
            "Lawrence", "Meade", "Oglala Lakota", "Shannon", "Pennington", "Perkins", "Stanley", "Ziebach"),
        ["NE"] = Counties("America/Denver", "Arthur", "Banner", "Box Butte", "Chase", "Cheyenne", "Dawes", "Deuel", "Dundy", "Garden", "Grant",
            "Hooker", "Keith", "Kimball", "Morrill", "Perkins", "Scotts Bluff", "Sheridan", "Sioux"),
        ["KS"] = Counties("America/Denver", "Greeley", "Hamilton", "Sherman", "Wallace"),
        ["TX"] = Counties("America/Denver", "El Paso", "Hudspeth"),
        ["ID"] = Counties("America/Los_Angeles", "Benewah", "Bonner", "Boundary", "Clearwater", "Idaho", "Kootenai", "Latah", "Lewis",
            "Nez Perce", "Shoshone"),
        ["OR"] = Counties("America/Boise", "Malheur"),
    };

    /// <summary>Towns of the Navajo Nation in Arizona, which keeps daylight saving time (Arizona otherwise does not).</summary>
    private static readonly HashSet<string> NavajoNationTowns = new(
        ["Chinle", "Fort Defiance", "Ganado", "Kayenta", "Many Farms", "Tsaile", "Tuba City", "Window Rock", "Kaibeto", "Shonto",
         "Dennehotso", "Teec Nos Pos", "Lukachukai", "Pinon", "Rough Rock", "Rock Point", "Round Rock", "Red Mesa", "Sawmill",
         "Saint Michaels", "St Michaels", "Lupton", "Houck", "Dilkon", "Leupp", "Cameron", "Tonalea", "Steamboat", "Klagetoh"],
        StringComparer.OrdinalIgnoreCase);

    public static bool KnowsState(string state) => ByState.ContainsKey(state);

    /// <summary>The zone of an address; null for a state or territory code this table does not know.</summary>
    public static string? For(string state, string? county, string? city, double latitude, double longitude)
    {
        if (!ByState.TryGetValue(state, out var zone)) return null;
        switch (state)
        {
            case "AK":
                // The Aleutians west of 169°30'W keep Hawaii-Aleutian time; the Pribilofs at that longitude (St. George) do not.
                return (longitude < -169.5 && latitude < 55) || longitude > 0 ? "America/Adak" : zone;
            case "AZ":
                return city is not null && NavajoNationTowns.Contains(city.Trim()) ? "America/Denver" : zone;
            case "NV":
                return city is not null && city.Trim().Equals("West Wendover", StringComparison.OrdinalIgnoreCase) ? "America/Denver" : zone;
        }
        if (!ByCounty.TryGetValue(state, out var counties)) return zone;
        if (!string.IsNullOrWhiteSpace(county))
            return counties.GetValueOrDefault(CountyKey(county)) ?? zone;
        return ByLongitude(state, latitude, longitude) ?? zone;
    }

    /// <summary>Approximate lines for split states, used only when the source gives no county.</summary>
    private static string? ByLongitude(string state, double latitude, double longitude) => state switch
    {
        "FL" when longitude < -85.0 => "America/Chicago",
        "IN" when (latitude > 41.0 && longitude < -86.5) || (latitude < 38.2 && longitude < -86.5) => "America/Chicago",
        "KY" when longitude < -85.9 => "America/Chicago",
        "TN" when longitude > -84.95 || (latitude < 35.3 && longitude > -85.45) => "America/New_York",
        "MI" when longitude < -87.6 && latitude < 46.6 => "America/Menominee",
        "ND" when longitude < -102.0 && latitude < 47.5 => "America/Denver",
        "SD" when longitude < -101.0 => "America/Denver",
        "NE" when longitude < -101.5 => "America/Denver",
        "KS" when longitude < -101.5 && latitude > 37.75 => "America/Denver",
        "TX" when longitude < -104.9 => "America/Denver",
        "ID" when latitude > 45.5 => "America/Los_Angeles",
        "OR" when longitude > -118.2 && latitude < 44.5 => "America/Boise",
        _ => null,
    };

    private static Dictionary<string, string> Counties(string zone, params string[] names) =>
        names.ToDictionary(CountyKey, _ => zone);

    private static Dictionary<string, string> Merge(params Dictionary<string, string>[] parts) =>
        parts.SelectMany(p => p).ToDictionary(p => p.Key, p => p.Value);

    /// <summary>"La Porte County", "LaPorte" and "laporte" are one county; so are "St. Joseph" and "Saint Joseph".</summary>
    private static string CountyKey(string county)
    {
        var name = county.Trim().ToLowerInvariant();
        foreach (var suffix in new[] { " county", " parish", " borough", " census area" })
            if (name.EndsWith(suffix, StringComparison.Ordinal)) name = name[..^suffix.Length];
        if (name.StartsWith("saint ", StringComparison.Ordinal)) name = "st " + name["saint ".Length..];
        return new string([.. name.Where(char.IsLetter)]);
    }
}
