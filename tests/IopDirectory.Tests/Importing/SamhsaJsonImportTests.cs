using IopDirectory.Centers;
using IopDirectory.Importing;
using IopDirectory.Importing.Samhsa;
using IopDirectory.Insurance;
using IopDirectory.Taxonomy;
using IopDirectory.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static IopDirectory.Tests.Importing.ImportTestKit;

namespace IopDirectory.Tests.Importing;

/// <summary>The FindTreatment.gov JSON export: services become the centre's facts; what the locator does not say stays unknown.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class SamhsaJsonImportTests(TestDatabase database) : IDisposable
{
    /// <summary>Each test writes its own database copy: close its idle pooled connections, or a full run runs out of slots.</summary>
    public void Dispose() => Npgsql.NpgsqlConnection.ClearAllPools();

    private const string Format = "samhsa-json";

    [Fact]
    public async Task Locator_rows_land_with_their_services_mapped_and_bad_rows_are_rejected_with_their_index_and_reason()
    {
        var connectionString = await EmptyCopyAsync(database);

        var report = await ImportAsync(connectionString, Format, Fixture("locator-export.json"));

        Assert.Equal(10, report.Rows);
        Assert.Equal((3, 0, 0), (report.Inserted, report.Updated, report.Unchanged));
        Assert.Equal(7, report.Rejected.Count);
        Assert.Equal(new Rejection("rows[2]", "latitude 200 is out of range (-90 to 90)"), report.Rejected[0]);
        Assert.Equal(new Rejection("rows[3]", "no coordinates (latitude or longitude is empty)"), report.Rejected[1]);
        Assert.Equal(new Rejection("rows[4]", "phone '555-01' is not a valid phone number"), report.Rejected[2]);
        Assert.Equal(new Rejection("rows[5]", "unknown state 'ZZ'"), report.Rejected[3]);
        Assert.Equal("rows[6]", report.Rejected[4].Where);
        Assert.StartsWith("not a locator row: ", report.Rejected[4].Reason, StringComparison.Ordinal);
        Assert.Equal(new Rejection("rows[7]", "same frid as rows[0] but different details; the first is kept"), report.Rejected[5]);
        Assert.Equal(new Rejection("rows[8]", "no frid (the locator's facility id)"), report.Rejected[6]);
        Assert.Equal(1, report.Notes["service name not in the SAMHSA taxonomy: Telemedicine/telehealth therapy"]);

        await using var db = TestDatabase.CreateContext(connectionString);
        var saguaro = await db.Centers.Include(c => c.Phones).SingleAsync(c => c.SourceId == "AZ-PHX-0001");
        Assert.Equal(SamhsaJson.Source, saguaro.Source);
        Assert.Equal("Saguaro Wellness Center - Adult Outpatient Services", saguaro.Name);
        Assert.Equal("http://www.saguarowellness.example", saguaro.Website);
        Assert.Equal(("1 N Central Avenue", "Suite 400", "Phoenix", "AZ", "85004"),
            (saguaro.Address.Street1, saguaro.Address.Street2, saguaro.Address.City, saguaro.Address.State, saguaro.Address.PostalCode));
        Assert.Equal((33.448377, -112.074037), (saguaro.Latitude, saguaro.Longitude));
        Assert.Equal("America/Phoenix", saguaro.TimeZone);
        Assert.Equal([(PhoneKind.Main, "+16025550142", (string?)null), (PhoneKind.Intake, "+16025550143", "12")],
            saguaro.Phones.OrderBy(p => p.Kind).Select(p => (p.Kind, p.Number, p.Extension)));
        Assert.Equal([LevelOfCare.Detox, LevelOfCare.IntensiveOutpatient, LevelOfCare.Outpatient], saguaro.LevelsOfCare);
        Assert.Equal([PayerType.Medicaid, PayerType.PrivateInsurance, PayerType.Military, PayerType.SelfPay, PayerType.SlidingScale], saguaro.PayerTypes);
        Assert.Equal([Population.Adolescents, Population.YoungAdults, Population.Veterans, Population.TraumaSurvivors, Population.DeafHardOfHearing],
            saguaro.Populations);
        Assert.Equal(["ase", "es"], saguaro.Languages);
        Assert.Equal([Accreditation.Carf, Accreditation.StateLicense], saguaro.Accreditations);
        // Never invented: no programs, tracks, hours or carriers, no verification date.
        Assert.False(await db.Programs.AnyAsync());
        Assert.False(await db.InsurancePlans.AnyAsync());
        Assert.Null(saguaro.LastVerifiedAt);

        var tucson = await db.Centers.Include(c => c.Phones).SingleAsync(c => c.SourceId == "AZ-TUS-0002");
        Assert.Equal("85719-1234", tucson.Address.PostalCode);
        Assert.Null(tucson.Website);
        Assert.Empty(tucson.LevelsOfCare);
        var gallup = await db.Centers.SingleAsync(c => c.SourceId == "NM-GUP-0010");
        Assert.Equal([LevelOfCare.IntensiveOutpatient], gallup.LevelsOfCare);
        Assert.Equal("America/Denver", gallup.TimeZone);
        Assert.Equal((35.5281, -108.7426), (gallup.Latitude, gallup.Longitude));
    }

    [Fact]
    public async Task A_second_import_changes_nothing_and_editors_additions_survive_a_changed_row()
    {
        var connectionString = await EmptyCopyAsync(database);
        await ImportAsync(connectionString, Format, Fixture("locator-export.json"));

        var stamp = await WriteStampAsync(connectionString);
        var again = await ImportAsync(connectionString, Format, Fixture("locator-export.json"));
        Assert.Equal((0, 0, 3), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Equal(7, again.Rejected.Count);
        Assert.Equal(stamp, await WriteStampAsync(connectionString));

        // An editor adds a carrier (the locator never names carriers); then the locator's phone number changes.
        await using (var db = TestDatabase.CreateContext(connectionString))
        {
            var center = await db.Centers.SingleAsync(c => c.SourceId == "AZ-PHX-0001");
            db.InsurancePlans.Add(new InsurancePlan { CenterId = center.Id, CarrierCode = "AETNA", PlanName = "PPO" });
            await db.SaveChangesAsync();
        }
        var changed = Path.Combine(Path.GetTempPath(), $"iop-locator-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(changed, (await File.ReadAllTextAsync(Fixture("locator-export.json")))
                .Replace("\"(602) 555-0142\"", "\"(602) 555-0190\"", StringComparison.Ordinal));
            var report = await ImportAsync(connectionString, Format, changed);
            Assert.Equal((0, 1, 2), (report.Inserted, report.Updated, report.Unchanged));

            await using var db = TestDatabase.CreateContext(connectionString);
            var center = await db.Centers.Include(c => c.Phones).Include(c => c.InsurancePlans).SingleAsync(c => c.SourceId == "AZ-PHX-0001");
            Assert.Contains(center.Phones, p => p is { Kind: PhoneKind.Main, Number: "+16025550190" });
            Assert.Equal("AETNA", Assert.Single(center.InsurancePlans).CarrierCode);
            var audit = await db.AuditEntries.Where(a => a.CenterId == center.Id && a.Actor == SamhsaJson.Actor && a.ResourceType == "Phone").ToListAsync();
            Assert.Contains(audit, a => a.Action == "CREATE" && a.NewValue!.Contains("+16025550190", StringComparison.Ordinal));
            Assert.Contains(audit, a => a.Action == "DELETE" && a.OldValue!.Contains("+16025550142", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(changed);
        }
    }
}
