using System.Globalization;
using IopDirectory.Importing;
using IopDirectory.Importing.Samhsa;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static IopDirectory.Tests.Importing.ImportTestKit;

namespace IopDirectory.Tests.Importing;

/// <summary>The SAMHSA national directory CSV: every real row lands or is rejected with its line and reason; twice changes nothing.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class SamhsaCsvImportTests(TestDatabase database, ITestOutputHelper output) : IDisposable
{
    /// <summary>Each test writes its own database copy: close its idle pooled connections, or a full run runs out of slots.</summary>
    public void Dispose() => Npgsql.NpgsqlConnection.ClearAllPools();

    private const string Format = "samhsa-csv";

    /// <summary>The extract's own duplicates: the same name and address twice (4 identical rows, 3 with other coordinates).</summary>
    private static readonly Rejection[] NationalDuplicates =
    [
        new("line 925", "repeats line 924 (same name and address, same details)"),
        new("line 3021", "same name and address as line 3020 but different details; the first is kept"),
        new("line 3835", "same name and address as line 3834 but different details; the first is kept"),
        new("line 5260", "repeats line 5259 (same name and address, same details)"),
        new("line 8144", "same name and address as line 8103 but different details; the first is kept"),
        new("line 10594", "repeats line 10593 (same name and address, same details)"),
        new("line 13174", "repeats line 13173 (same name and address, same details)"),
    ];

    [Fact]
    public async Task The_national_directory_lands_every_facility_with_exact_coordinates_and_a_second_import_changes_nothing()
    {
        var connectionString = await EmptyCopyAsync(database);

        var first = await ImportAsync(connectionString, Format, RealDataDatabase.CsvPath);
        output.WriteLine(Text(first));
        Assert.Equal(14_034, first.Rows);
        Assert.Equal(14_034 - NationalDuplicates.Length, first.Inserted);
        Assert.Equal(0, first.Updated);
        Assert.Equal(0, first.Unchanged);
        Assert.Equal(NationalDuplicates, first.Rejected);

        // Every kept row, by its key, at its file's coordinates (to 1e-6 degrees; PostGIS stores the doubles as given).
        var rows = RealDataDatabase.ReadCsv(RealDataDatabase.CsvPath);
        var header = rows[0];
        string Field(string[] row, string name) => row[Array.IndexOf(header, name)].Trim();
        var rejectedLines = NationalDuplicates.Select(r => int.Parse(r.Where["line ".Length..], CultureInfo.InvariantCulture)).ToHashSet();
        await using (var db = TestDatabase.CreateContext(connectionString))
        {
            var stored = await db.Centers.AsNoTracking().Where(c => c.Source == SamhsaCsv.Source).ToDictionaryAsync(c => c.SourceId);
            Assert.Equal(first.Inserted, stored.Count);
            for (var i = 1; i < rows.Count; i++)
            {
                if (rejectedLines.Contains(i + 1)) continue;
                var row = rows[i];
                var postalCode = Field(row, "zip").PadLeft(5, '0');
                var key = SamhsaCsv.Key(Field(row, "name1"), Field(row, "name2"), Field(row, "street1"), Field(row, "street2"), Field(row, "city"),
                    Field(row, "state"), postalCode);
                var center = stored[key];
                Assert.Equal(double.Parse(Field(row, "latitude"), CultureInfo.InvariantCulture), center.Latitude, 1e-6);
                Assert.Equal(double.Parse(Field(row, "longitude"), CultureInfo.InvariantCulture), center.Longitude, 1e-6);
                Assert.StartsWith(Field(row, "name1"), center.Name, StringComparison.Ordinal);
                Assert.StartsWith(postalCode, center.Address.PostalCode, StringComparison.Ordinal);
            }
            // Facts the file does not give stay unknown: no programs, phones, carriers, hours, payer types or verification.
            Assert.False(await db.Programs.AnyAsync());
            Assert.False(await db.Phones.AnyAsync());
            Assert.False(await db.InsurancePlans.AnyAsync());
            Assert.All(stored.Values, c => Assert.True(c.PayerTypes.Count == 0 && c.LevelsOfCare.Count == 0 && c.LastVerifiedAt is null));
            // Each centre's creation is in the audit log, by the importer.
            Assert.Equal(first.Inserted, await db.AuditEntries.CountAsync(a => a.Actor == SamhsaCsv.Actor && a.Action == "CREATE" && a.ResourceType == "Center"));
        }

        var stamp = await WriteStampAsync(connectionString);
        var second = await ImportAsync(connectionString, Format, RealDataDatabase.CsvPath);
        output.WriteLine(Text(second));
        Assert.Equal((0, 0, first.Inserted), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal(NationalDuplicates, second.Rejected);
        Assert.Contains("nothing changed", Text(second), StringComparison.Ordinal);
        Assert.Equal(stamp, await WriteStampAsync(connectionString));
    }

    [Fact]
    public async Task Bad_rows_are_rejected_with_their_line_and_reason_and_good_rows_land()
    {
        var connectionString = await EmptyCopyAsync(database);

        var report = await ImportAsync(connectionString, Format, Fixture("national-directory-bad-rows.csv"));

        Assert.Equal(
        [
            new Rejection("line 3", "no coordinates (latitude or longitude is empty)"),
            new Rejection("line 4", "latitude 200 is out of range (-90 to 90)"),
            new Rejection("line 5", "unknown state 'XX'"),
            new Rejection("line 9", "repeats line 2 (same name and address, same details)"),
            new Rejection("line 10", "latitude 'abc' is not a number"),
            new Rejection("line 11", "coordinates -86.3,32.38 are outside the contiguous United States (swapped or mistyped?)"),
            new Rejection("line 12", "no name (name1 is empty)"),
            new Rejection("line 13", "has 7 fields, the header 11"),
            new Rejection("line 14", "coordinates 0,0 are a placeholder, not a location"),
        ], report.Rejected);
        Assert.Equal((4, 0, 0), (report.Inserted, report.Updated, report.Unchanged));

        await using var db = TestDatabase.CreateContext(connectionString);
        var centers = await db.Centers.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(["Saguaro Path Recovery", "Harbor Lights, Inc. - Adult \"Evening\" Program", "Elm City Behavioral Health", "Cumberland Plateau Recovery"],
            centers.Select(c => c.Name));
        var harbor = centers[1];
        Assert.Equal("Building 2\nSuite 3", harbor.Address.Street2);
        Assert.Equal("32502-1234", harbor.Address.PostalCode);
        Assert.Equal("America/Chicago", harbor.TimeZone);
        // The extract lost leading zeros: 6510 and 18 are 06510 and 0018.
        Assert.Equal("06510-0018", centers[2].Address.PostalCode);
        Assert.Equal("America/Chicago", centers[3].TimeZone);
        Assert.Equal("America/Phoenix", centers[0].TimeZone);
        Assert.Equal((33.448377, -112.074037), (centers[0].Latitude, centers[0].Longitude));
    }

    [Fact]
    public async Task A_crash_inside_a_batch_leaves_no_part_of_it_and_a_rerun_completes_the_import()
    {
        var connectionString = await EmptyCopyAsync(database);
        var head = Path.Combine(Path.GetTempPath(), $"iop-head-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(head, (await File.ReadAllLinesAsync(RealDataDatabase.CsvPath)).Take(1 + 1_200));
        try
        {
            var crashing = new ImportSettings
            {
                BatchSize = 500,
                BeforeCommit = batch => batch == 2 ? throw new IOException("disk pulled out mid-batch") : Task.CompletedTask,
            };
            var crashed = new ImportReport("import samhsa-csv", head);
            var error = await Assert.ThrowsAsync<IOException>(() =>
                ImportCommands.ImportAsync(Format, head, Options(connectionString), crashed, crashing, toStandardError: false, CancellationToken.None));
            Assert.Equal("disk pulled out mid-batch", error.Message);
            Assert.Equal(500, crashed.Inserted);

            // Batch 1 committed, with its audit entries; of batch 2 nothing, not even audit entries.
            Assert.Equal(500, await ScalarAsync(connectionString, "SELECT count(*) FROM centers"));
            Assert.Equal(500, await ScalarAsync(connectionString, "SELECT count(*) FROM audit_entries"));

            // The first 1,200 rows hold one of the extract's repeats (line 925): 1,199 facilities in all.
            var rerun = await ImportAsync(connectionString, Format, head, new ImportSettings { BatchSize = 500 });
            Assert.Equal((699, 0, 500), (rerun.Inserted, rerun.Updated, rerun.Unchanged));
            Assert.Equal("line 925", Assert.Single(rerun.Rejected).Where);
            Assert.Equal(1_199, await ScalarAsync(connectionString, "SELECT count(*) FROM centers"));
            Assert.Equal(1_199, await ScalarAsync(connectionString, "SELECT count(*) FROM audit_entries"));
        }
        finally
        {
            File.Delete(head);
        }
    }

    [Fact]
    public async Task A_corrected_row_updates_its_centre_and_the_audit_log_records_the_change()
    {
        var connectionString = await EmptyCopyAsync(database);
        var file = Path.Combine(Path.GetTempPath(), $"iop-fix-{Guid.NewGuid():N}.csv");
        const string header = "name1,name2,street1,street2,city,state,zip,zip4,county,latitude,longitude";
        try
        {
            await File.WriteAllLinesAsync(file, [header, "Saguaro Path Recovery,,1 N Central Avenue,,Phoenix,AZ,85004,,Maricopa,33.44,-112.07"]);
            Assert.Equal(1, (await ImportAsync(connectionString, Format, file)).Inserted);

            // A later extract re-geocodes the facility and adds its ZIP+4: same key, new facts.
            await File.WriteAllLinesAsync(file, [header, "Saguaro Path Recovery,,1 N Central Avenue,,Phoenix,AZ,85004,2233,Maricopa,33.448377,-112.074037"]);
            var report = await ImportAsync(connectionString, Format, file);
            Assert.Equal((0, 1, 0), (report.Inserted, report.Updated, report.Unchanged));

            await using var db = TestDatabase.CreateContext(connectionString);
            var center = await db.Centers.SingleAsync();
            Assert.Equal(("85004-2233", 33.448377, -112.074037), (center.Address.PostalCode, center.Latitude, center.Longitude));
            Assert.NotNull(center.UpdatedAt);
            var changes = await db.AuditEntries.Where(a => a.Action == "UPDATE").OrderBy(a => a.Field).ToListAsync();
            Assert.Equal(["address.postalCode", "location"], changes.Select(a => a.Field));
            Assert.All(changes, a => Assert.Equal(SamhsaCsv.Actor, a.Actor));
            Assert.Equal(("85004", "85004-2233"), (changes[0].OldValue, changes[0].NewValue));
        }
        finally
        {
            File.Delete(file);
        }
    }

}
