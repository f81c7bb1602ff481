using System.Text;
using System.Text.Json;
using IopDirectory.Importing;
using IopDirectory.Importing.Samhsa;
using IopDirectory.Tests.Infrastructure;

namespace IopDirectory.Tests.Importing;

/// <summary>The pieces under the importers: streaming readers, field parsing, time zones, the SAMHSA vocabulary.</summary>
public sealed class ImportReaderTests
{
    [Fact]
    public async Task Csv_records_keep_quoted_commas_quotes_and_line_breaks_and_know_the_line_they_start_on()
    {
        const string text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nplain,,last\nend,\"\",";
        // A 3-character buffer puts every quote and line break on a buffer boundary somewhere.
        var records = new CsvRecords(new StringReader(text), bufferSize: 3);
        var all = new List<CsvRecord>();
        while (await records.NextAsync(CancellationToken.None) is { } record) all.Add(record);

        Assert.Equal([1, 2, 5, 6], all.Select(r => r.Line));
        Assert.Equal(["x, y", "say \"hi\"", "two\nlines"], all[1].Fields);
        Assert.Equal(["plain", "", "last"], all[2].Fields);
        Assert.Equal(["end", "", ""], all[3].Fields);
    }

    [Fact]
    public async Task Csv_that_ends_inside_a_quoted_field_is_an_error_not_a_silent_row()
    {
        var records = new CsvRecords(new StringReader("a,b\n\"open,1\n"));
        await records.ReadHeaderAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await records.NextAsync(CancellationToken.None));
        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
    }

    private sealed record Item(int N, string? S);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Json_array_elements_stream_one_at_a_time_across_any_buffer_boundary(int bufferSize)
    {
        const string json = "\uFEFF{ \"page\": { \"rows\": [9] }, \"rows\": [ {\"n\": 1, \"s\": \"a]}\"}, {\"n\": \"x\"}, 7, null, {\"n\": 3} ], \"after\": 1 }";
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var elements = new List<JsonArrayElement<Item>>();
        await foreach (var element in JsonArrayStream.ReadAsync<Item>(new MemoryStream(Encoding.UTF8.GetBytes(json)), "rows", options,
                           CancellationToken.None, bufferSize))
            elements.Add(element);

        Assert.Equal([0, 1, 2, 3, 4], elements.Select(e => e.Index));
        Assert.Equal(new Item(1, "a]}"), elements[0].Value);
        Assert.NotNull(elements[1].Error);
        Assert.NotNull(elements[2].Error);
        Assert.Equal("the element is null", elements[3].Error);
        Assert.Equal(new Item(3, null), elements[4].Value);
    }

    [Fact]
    public async Task Json_that_is_cut_off_is_an_error()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"rows\": [{\"n\": 1}, {\"n\": "));
        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in JsonArrayStream.ReadAsync<Item>(stream, "rows", new JsonSerializerOptions(JsonSerializerDefaults.Web)))
            {
            }
        });
    }

    [Theory]
    [InlineData("6510", "18", "06510-0018")]
    [InlineData("85004", "", "85004")]
    [InlineData("85004", "0", "85004")]
    [InlineData("85004-1234", null, "85004-1234")]
    [InlineData("850041234", null, "85004-1234")]
    public void Zip_codes_get_back_the_leading_zeros_spreadsheets_drop(string zip, string? plus4, string expected)
    {
        Assert.Null(SourceFields.PostalCode(zip, plus4, out var postalCode));
        Assert.Equal(expected, postalCode);
    }

    [Theory]
    [InlineData("(480) 555-0100", "+14805550100", null)]
    [InlineData("480.555.0100 ext. 12", "+14805550100", "12")]
    [InlineData("1-800-555-0199", "+18005550199", null)]
    public void Phones_in_any_us_form_become_e164_with_their_extension(string raw, string e164, string? extension)
    {
        Assert.Null(SourceFields.Phone(raw, out var number, out var ext));
        Assert.Equal((e164, extension), (number, ext));
    }

    [Theory]
    [InlineData("555-01")]
    [InlineData("call us")]
    [InlineData("+44 20")]
    public void Unreadable_phones_say_so(string raw) =>
        Assert.Equal($"phone '{raw}' is not a valid phone number", SourceFields.Phone(raw, out _, out _));

    [Theory]
    [InlineData("AZ", "Maricopa", "Phoenix", 33.45, -112.07, "America/Phoenix")]
    [InlineData("AZ", "Navajo", "Kayenta", 36.73, -110.25, "America/Denver")]
    [InlineData("FL", "Escambia", "Pensacola", 30.42, -87.22, "America/Chicago")]
    [InlineData("FL", "Leon", "Tallahassee", 30.44, -84.28, "America/New_York")]
    [InlineData("FL", null, "Panama City", 30.16, -85.66, "America/Chicago")]
    [InlineData("TX", "El Paso", "El Paso", 31.76, -106.49, "America/Denver")]
    [InlineData("IN", "Vanderburgh", "Evansville", 37.97, -87.57, "America/Chicago")]
    [InlineData("IN", "Starke", "Knox", 41.29, -86.62, "America/Indiana/Knox")]
    [InlineData("IN", "La Porte County", "Michigan City", 41.71, -86.9, "America/Chicago")]
    [InlineData("KY", "Warren", "Bowling Green", 36.99, -86.44, "America/Chicago")]
    [InlineData("KY", "Jefferson", "Louisville", 38.25, -85.76, "America/Kentucky/Louisville")]
    [InlineData("TN", "Knox", "Knoxville", 35.96, -83.92, "America/New_York")]
    [InlineData("TN", "Cumberland", "Crossville", 35.95, -85.03, "America/Chicago")]
    [InlineData("MI", "Dickinson", "Iron Mountain", 45.82, -88.06, "America/Menominee")]
    [InlineData("SD", "Pennington", "Rapid City", 44.08, -103.23, "America/Denver")]
    [InlineData("ID", "Kootenai", "Coeur d Alene", 47.68, -116.79, "America/Los_Angeles")]
    [InlineData("ID", "Ada", "Boise", 43.62, -116.2, "America/Boise")]
    [InlineData("OR", "Malheur", "Ontario", 44.03, -116.96, "America/Boise")]
    [InlineData("AK", "Aleutians West", "Saint George Island", 56.6, -169.55, "America/Anchorage")]
    [InlineData("AK", "Aleutians West", "Adak", 51.88, -176.66, "America/Adak")]
    [InlineData("PR", "San Juan", "San Juan", 18.47, -66.11, "America/Puerto_Rico")]
    public void Time_zones_follow_the_state_then_the_county_line(string state, string? county, string city, double latitude, double longitude,
        string zone) =>
        Assert.Equal(zone, UsTimeZones.For(state, county, city, latitude, longitude));

    [Fact]
    public void Every_state_zone_is_an_iana_zone()
    {
        foreach (var state in Data.Rules.UsStates)
            Assert.True(Data.Rules.IsTimeZone(UsTimeZones.For(state, null, null, 0, 0)), state);
    }

    [Fact]
    public void The_compiled_service_codes_are_the_taxonomy_file_row_for_row()
    {
        var path = Repository.TestData("samhsa", "service_codes.jsonl");
        var rows = File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => new SamhsaService(e.GetProperty("category_code").GetString()!, e.GetProperty("service_code").GetString()!,
                e.GetProperty("service_name").GetString()!))
            .ToList();
        Assert.Equal(rows, SamhsaServiceCodes.All);
    }

    [Theory]
    [InlineData("SET", "Intensive outpatient treatment", "OIT")]
    [InlineData("EDU", "Family counseling", "FCO")]
    [InlineData("TAP", "Cognitive behavioral therapy", "CBT")]
    [InlineData("PAY", "Federal military insurance (e.g., TRICARE)", "MI")]
    [InlineData("PAY", "State-financed health insurance plan other than Medicaid", "SI")]
    [InlineData("SG", "Clients who have experienced trauma", "TRMA")]
    [InlineData("SET", "Residential/24-hour residential", "RES")]
    [InlineData(null, "Commission on Accreditation of Rehabilitation Facilities (CARF)", "CARF")]
    [InlineData(null, "Case management service", "CM")]
    public void Service_names_in_the_locators_current_wording_find_their_code(string? category, string name, string code) =>
        Assert.Equal(code, SamhsaServiceCodes.Find(category, name)?.Code);
}
