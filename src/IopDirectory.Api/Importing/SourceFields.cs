using System.Globalization;
using IopDirectory.Data;
using PhoneNumbers;

namespace IopDirectory.Importing;

/// <summary>
/// Reads the raw fields public directories publish (coordinates as text, ZIP codes that lost their leading zeros,
/// phone numbers in any US form) into the model's forms, or says in one sentence why a field cannot be used.
/// </summary>
public static class SourceFields
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Parses and checks a coordinate pair: present, numeric, in range, not 0,0, and in the United States.</summary>
    public static string? Coordinates(string? latitudeText, string? longitudeText, string state, out double latitude, out double longitude)
    {
        latitude = longitude = double.NaN;
        if (string.IsNullOrWhiteSpace(latitudeText) || string.IsNullOrWhiteSpace(longitudeText))
            return "no coordinates (latitude or longitude is empty)";
        if (!double.TryParse(latitudeText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out latitude) || !double.IsFinite(latitude))
            return $"latitude '{latitudeText.Trim()}' is not a number";
        if (!double.TryParse(longitudeText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out longitude) || !double.IsFinite(longitude))
            return $"longitude '{longitudeText.Trim()}' is not a number";
        return Coordinates(latitude, longitude, state);
    }

    /// <param name="inUnitedStates">Also check the point is in the state's part of the US (for public sources, not for this directory's own HSDS).</param>
    public static string? Coordinates(double latitude, double longitude, string state, bool inUnitedStates = true)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{latitude},{longitude}");
        if (!Rules.IsLatitude(latitude)) return $"latitude {latitude.ToString(CultureInfo.InvariantCulture)} is out of range (-90 to 90)";
        if (!Rules.IsLongitude(longitude)) return $"longitude {longitude.ToString(CultureInfo.InvariantCulture)} is out of range (-180 to 180)";
        if (latitude == 0 && longitude == 0) return "coordinates 0,0 are a placeholder, not a location";
        if (inUnitedStates && !InUnitedStates(latitude, longitude, state))
            return $"coordinates {text} are outside {(state is "AK" or "HI" or "PR" or "VI" or "GU" or "MP" or "AS" ? state : "the contiguous United States")} (swapped or mistyped?)";
        return null;
    }

    /// <summary>Generous boxes around the contiguous states, Alaska, Hawaii and the territories: they catch swapped or sign-flipped coordinates.</summary>
    private static bool InUnitedStates(double latitude, double longitude, string state) => state switch
    {
        "AK" => latitude is >= 51 and <= 72 && (longitude is >= -180 and <= -129 || longitude is >= 172 and <= 180),
        "HI" => latitude is >= 18.5 and <= 22.5 && longitude is >= -160.5 and <= -154.5,
        "PR" => latitude is >= 17.5 and <= 18.7 && longitude is >= -68 and <= -65.1,
        "VI" => latitude is >= 17.5 and <= 18.6 && longitude is >= -65.2 and <= -64.4,
        "GU" => latitude is >= 13.1 and <= 13.8 && longitude is >= 144.5 and <= 145.1,
        "MP" => latitude is >= 14 and <= 20.7 && longitude is >= 144.8 and <= 146.2,
        "AS" => latitude is >= -14.7 and <= -11 && longitude is >= -171.2 and <= -168,
        _ => latitude is >= 24.3 and <= 49.5 && longitude is >= -125 and <= -66.8,
    };

    /// <summary>
    /// A ZIP (and optional ZIP+4) as 12345 or 12345-6789. Spreadsheets drop leading zeros (06708 becomes 6708), so
    /// shorter digit strings are padded back; a ZIP+4 of 0000 is not a real add-on and is dropped.
    /// </summary>
    public static string? PostalCode(string? zip, string? plus4, out string postalCode)
    {
        postalCode = "";
        zip = zip?.Trim() ?? "";
        plus4 = plus4?.Trim() ?? "";
        if (zip.Length == 10 && zip[5] == '-') (zip, plus4) = (zip[..5], zip[6..]);
        else if (zip.Length == 9 && zip.All(char.IsAsciiDigit)) (zip, plus4) = (zip[..5], zip[5..]);
        if (zip.Length == 0) return "no ZIP code";
        if (zip.Length > 5 || !zip.All(char.IsAsciiDigit)) return $"ZIP code '{zip}' is not 5 digits";
        if (plus4.Length > 4 || !plus4.All(char.IsAsciiDigit)) return $"ZIP+4 '{plus4}' is not 4 digits";
        postalCode = zip.PadLeft(5, '0');
        if (plus4.Length > 0 && plus4.PadLeft(4, '0') is var add && add != "0000") postalCode += "-" + add;
        return null;
    }

    /// <summary>A US phone number in E.164 with its extension, or why it cannot be read; null and null for an empty field.</summary>
    public static string? Phone(string? raw, out string? e164, out string? extension)
    {
        e164 = extension = null;
        if (string.IsNullOrWhiteSpace(raw)) return null;
        try
        {
            var number = Phones.Parse(raw.Trim(), "US");
            if (Phones.IsValidNumber(number))
            {
                e164 = Phones.Format(number, PhoneNumberFormat.E164);
                extension = number.HasExtension ? number.Extension : null;
                if (extension is null || extension.Length <= 6) return null;
            }
        }
        catch (NumberParseException)
        {
        }
        e164 = extension = null;
        return $"phone '{raw.Trim()}' is not a valid phone number";
    }

    /// <summary>An absolute http(s) URL; a bare host ("www.example.org") gets http://. Null when there is none or it is not a URL.</summary>
    public static string? Website(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var url = raw.Trim();
        if (!url.Contains("://", StringComparison.Ordinal)) url = "http://" + url;
        return Rules.IsHttpUrl(url) ? url : null;
    }

    /// <summary>A trimmed field, null when empty.</summary>
    public static string? Text(string? raw) => string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
}
