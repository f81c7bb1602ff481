using System.Collections.Concurrent;
using IopDirectory.Geo;
using PhoneNumbers;

namespace IopDirectory.Matching;

/// <summary>
/// Places a caller by a US area code alone (the last resort when the operator learns nothing else):
/// libphonenumber's offline geocoder describes numbers by exchange ("Phoenix, AZ"), or only by state
/// for most exchanges ("Arizona"). The area code's place is the city that the most of its exchanges
/// (200-999) name; ties go to the first name in ordinal order. That city's centroid comes from the
/// ZIP table. Results are cached per area code (about 300 exist).
/// </summary>
public sealed class AreaCodeLocator(ZipCentroids zips)
{
    public sealed record Place(string City, string State, double Latitude, double Longitude)
    {
        public string Description => $"{City}, {State}";
    }

    private static readonly PhoneNumberOfflineGeocoder Geocoder = PhoneNumberOfflineGeocoder.GetInstance();
    private readonly ConcurrentDictionary<string, Place?> _cache = new();

    /// <summary>True for a NANP area code: three digits, the first 2-9.</summary>
    public static bool IsAreaCode(string value) => value.Length == 3 && value[0] is >= '2' and <= '9' && value.All(char.IsAsciiDigit);

    public Place? Find(string areaCode) => IsAreaCode(areaCode) ? _cache.GetOrAdd(areaCode, Locate) : null;

    private Place? Locate(string areaCode)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var exchange = 200; exchange <= 999; exchange++)
        {
            var number = new PhoneNumber.Builder().SetCountryCode(1).SetNationalNumber(ulong.Parse($"{areaCode}{exchange}0100")).Build();
            var description = Geocoder.GetDescriptionForNumber(number, Locale.English);
            // "City, ST" only: a bare state name ("Arizona") cannot be placed.
            if (description.Length > 4 && description[^4..^2] == ", ")
                counts[description] = counts.GetValueOrDefault(description) + 1;
        }
        foreach (var (description, _) in counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            var city = description[..^4];
            var state = description[^2..];
            if (zips.FindCity(city, state) is { } point)
                return new Place(city, state, point.Latitude, point.Longitude);
        }
        return null;
    }
}
