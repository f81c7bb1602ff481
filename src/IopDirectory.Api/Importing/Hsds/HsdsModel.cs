using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IopDirectory.Importing.Hsds;

// The Open Referral HSDS 3.x objects this directory reads and writes, with the fields it uses (snake_case on the wire).
// Unknown fields are ignored on import. See Importing/README.md for how a centre maps onto them.

/// <summary>An organization: here one centre (with its one location and one service per program), or the directory's own helplines.</summary>
public sealed class HsdsOrganization
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? AlternateName { get; init; }
    public string Description { get; init; } = "";
    public string? Website { get; init; }
    public List<HsdsPhone>? Phones { get; init; }
    public List<HsdsLocation>? Locations { get; init; }
    public List<HsdsService>? Services { get; init; }
    public List<HsdsAttribute>? Attributes { get; init; }
}

public sealed class HsdsLocation
{
    public required string Id { get; init; }
    public string? LocationType { get; init; }
    public string? OrganizationId { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public double? Latitude { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public double? Longitude { get; init; }

    /// <summary>Here: the centre's source id (the key imports match on), with <see cref="ExternalIdentifierType"/> its source.</summary>
    public string? ExternalIdentifier { get; init; }
    public string? ExternalIdentifierType { get; init; }
    public List<HsdsLanguage>? Languages { get; init; }
    public List<HsdsAddress>? Addresses { get; init; }
    public List<HsdsPhone>? Phones { get; init; }
    public List<HsdsAttribute>? Attributes { get; init; }
}

public sealed class HsdsAddress
{
    public string? Id { get; init; }
    public string? LocationId { get; init; }
    [JsonPropertyName("address_1")]
    public string? Address1 { get; init; }

    [JsonPropertyName("address_2")]
    public string? Address2 { get; init; }
    public string? City { get; init; }

    /// <summary>Here: the county.</summary>
    public string? Region { get; init; }
    public string? StateProvince { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public string? AddressType { get; init; }
}

public sealed class HsdsLanguage
{
    public string? Id { get; init; }
    public string? LocationId { get; init; }
    public string? Name { get; init; }
    public string? Code { get; init; }
}

public sealed class HsdsPhone
{
    public string? Id { get; init; }
    public string? LocationId { get; init; }
    public string? OrganizationId { get; init; }
    public required string Number { get; init; }

    /// <summary>HSDS types it as a number; written as one unless it has a leading zero, read from either.</summary>
    [JsonConverter(typeof(NumberOrStringConverter))]
    public string? Extension { get; init; }
    public string? Type { get; init; }
    public string? Description { get; init; }
    public List<HsdsAttribute>? Attributes { get; init; }
}

public sealed class HsdsService
{
    public required string Id { get; init; }
    public string? OrganizationId { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string Status { get; init; } = "active";

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public double? MinimumAge { get; init; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public double? MaximumAge { get; init; }

    /// <summary>The date the service was last checked (the centre's last verification, as a date).</summary>
    public string? AssuredDate { get; init; }
    public List<HsdsServiceAtLocation>? ServiceAtLocations { get; init; }
    public List<HsdsAttribute>? Attributes { get; init; }
}

public sealed class HsdsServiceAtLocation
{
    public string? Id { get; init; }
    public string? ServiceId { get; init; }
    public string? LocationId { get; init; }
    public HsdsLocation? Location { get; init; }
    public List<HsdsSchedule>? Schedules { get; init; }
    public List<HsdsServiceArea>? ServiceAreas { get; init; }
}

public sealed class HsdsSchedule
{
    public string? Id { get; init; }
    public string? ServiceAtLocationId { get; init; }
    public string? Freq { get; init; }
    public string? Wkst { get; init; }
    public string? Byday { get; init; }
    public string? OpensAt { get; init; }
    public string? ClosesAt { get; init; }
    public string? Description { get; init; }
    public List<HsdsAttribute>? Attributes { get; init; }
}

public sealed class HsdsServiceArea
{
    public string? Id { get; init; }
    public string? ServiceAtLocationId { get; init; }
    public string? Name { get; init; }
    public string? Extent { get; init; }
    public string? ExtentType { get; init; }
}

public sealed class HsdsAttribute
{
    public string? Id { get; init; }
    public string? LinkId { get; init; }
    public string? LinkType { get; init; }
    public string? LinkEntity { get; init; }
    public string? TaxonomyTermId { get; init; }
    public string? Value { get; init; }
    public HsdsTaxonomyTerm? TaxonomyTerm { get; init; }
}

public sealed class HsdsTaxonomyTerm
{
    public string? Id { get; init; }
    public string? Code { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? ParentId { get; init; }
    public string? Taxonomy { get; init; }
}

public static class HsdsJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>Reads a JSON number or string as its text; writes digits without a leading zero as a number.</summary>
public sealed class NumberOrStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a number or a string, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (value.Length is > 0 and < 10 && value[0] != '0' && value.All(char.IsAsciiDigit))
            writer.WriteNumberValue(long.Parse(value, CultureInfo.InvariantCulture));
        else
            writer.WriteStringValue(value);
    }
}
