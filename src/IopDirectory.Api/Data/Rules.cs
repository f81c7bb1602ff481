using NodaTime;
using PhoneNumbers;

namespace IopDirectory.Data;

/// <summary>Checks shared by several entities: phone numbers, time zones, coordinates, US states.</summary>
public static class Rules
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>US states, DC and the territories, by USPS code.</summary>
    public static readonly IReadOnlySet<string> UsStates = new HashSet<string>(
    [
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
        "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
        "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
        "PR", "GU", "VI", "AS", "MP",
    ]);

    /// <summary>Parses a phone number as a US caller would dial it and returns it in E.164, or null.</summary>
    public static string? ToE164(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 40) return null;
        try
        {
            var number = Phones.Parse(raw, "US");
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    public static bool IsE164(string? value) => value is not null && ToE164(value) == value;

    /// <summary>A phone number formatted for display in the US: (480) 555-0100.</summary>
    public static string FormatNational(string e164)
    {
        try
        {
            return Phones.Format(Phones.Parse(e164, "US"), PhoneNumberFormat.NATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }

    public static bool IsTimeZone(string? id) => id is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is not null;

    public static bool IsLatitude(double value) => double.IsFinite(value) && value is >= -90 and <= 90;

    public static bool IsLongitude(double value) => double.IsFinite(value) && value is >= -180 and <= 180;

    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
