using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace IopDirectory.Tests.Infrastructure;

/// <summary>One facility of the SAMHSA national directory extract, as imported.</summary>
public sealed record Facility(int Row, int CenterId, string Name, string City, string State, double Latitude, double Longitude);

/// <summary>
/// The 14,034 real facilities of tests/data/samhsa/national_directory_locations.csv, bulk-loaded
/// (binary COPY, bypassing the model's validation) into a private copy of the seeded database on the
/// collection's cluster, with the sample centres removed. Built once per <see cref="TestDatabase"/>
/// and shared by every test that asks for it.
/// </summary>
public sealed class RealDataDatabase
{
    public const string Source = "samhsa-test";

    private static readonly ConditionalWeakTable<TestDatabase, Lazy<Task<RealDataDatabase>>> Instances = new();

    private RealDataDatabase(string connectionString, IReadOnlyList<Facility> facilities, TimeSpan importDuration)
    {
        ImportDuration = importDuration;
        ConnectionString = connectionString;
        Facilities = facilities;
        ByCenterId = facilities.ToDictionary(f => f.CenterId);
        ByRow = facilities.ToDictionary(f => f.Row);
    }

    public string ConnectionString { get; }

    /// <summary>How long reading the file and loading it took.</summary>
    public TimeSpan ImportDuration { get; }

    /// <summary>Every imported facility, in file order.</summary>
    public IReadOnlyList<Facility> Facilities { get; }

    public IReadOnlyDictionary<int, Facility> ByCenterId { get; }

    /// <summary>By the 1-based data row of the file (stored as the centre's source id).</summary>
    public IReadOnlyDictionary<int, Facility> ByRow { get; }

    public static string CsvPath => Repository.TestData("samhsa", "national_directory_locations.csv");

    /// <summary>The imported database for this test run (imported on first use).</summary>
    public static Task<RealDataDatabase> ForAsync(TestDatabase database) =>
        Instances.GetValue(database, d => new Lazy<Task<RealDataDatabase>>(() => ImportAsync(d))).Value;

    private static async Task<RealDataDatabase> ImportAsync(TestDatabase database)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = ReadCsv(CsvPath);
        var header = rows[0];
        int Column(string name)
        {
            var index = Array.IndexOf(header, name);
            return index >= 0 ? index : throw new InvalidDataException($"{CsvPath} has no column {name}.");
        }
        int name1 = Column("name1"), street1 = Column("street1"), street2 = Column("street2"), city = Column("city"), state = Column("state"),
            zip = Column("zip"), county = Column("county"), latitude = Column("latitude"), longitude = Column("longitude");

        var connectionString = await database.CreateCopyAsync($"iop_samhsa_{Environment.ProcessId}");
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        await using var dataSource = builder.Build();
        await using var connection = await dataSource.OpenConnectionAsync();

        // Routes may name another centre as destination (ON DELETE RESTRICT): remove them first.
        await using (var clear = new NpgsqlCommand("DELETE FROM call_routes; DELETE FROM centers;", connection))
            await clear.ExecuteNonQueryAsync();

        var empty = Array.Empty<string>();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY centers (name, street1, street2, city, state, postal_code, county, location, time_zone, levels_of_care, "
            + "accepting_new_patients, accreditations, languages, populations, conditions, payer_types, free_consultation, source, source_id) "
            + "FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i < rows.Count; i++)
            {
                var r = rows[i];
                var point = new Point(Parse(r[longitude]), Parse(r[latitude])) { SRID = 4326 };
                await writer.StartRowAsync();
                await writer.WriteAsync(r[name1], NpgsqlDbType.Varchar);
                await writer.WriteAsync(r[street1], NpgsqlDbType.Varchar);
                await WriteNullableAsync(writer, r[street2]);
                await writer.WriteAsync(r[city], NpgsqlDbType.Varchar);
                await writer.WriteAsync(r[state], NpgsqlDbType.Varchar);
                await writer.WriteAsync(r[zip], NpgsqlDbType.Varchar);
                await WriteNullableAsync(writer, r[county]);
                await writer.WriteAsync(point, NpgsqlDbType.Geography);
                await writer.WriteAsync("America/New_York", NpgsqlDbType.Varchar);
                await writer.WriteAsync(empty, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                await writer.WriteAsync(empty, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(empty, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(empty, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(empty, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(empty, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(Source, NpgsqlDbType.Text);
                await writer.WriteAsync(i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
            }
            await writer.CompleteAsync();
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE centers", connection))
            await analyze.ExecuteNonQueryAsync();

        // Read the coordinates back as stored, so oracles use exactly what the database holds.
        var facilities = new List<Facility>(rows.Count - 1);
        await using (var read = new NpgsqlCommand(
            "SELECT id, source_id::int, name, city, state, ST_Y(location::geometry), ST_X(location::geometry) FROM centers WHERE source = @source ORDER BY source_id::int",
            connection))
        {
            read.Parameters.AddWithValue("source", Source);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                facilities.Add(new Facility(reader.GetInt32(1), reader.GetInt32(0), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetDouble(5), reader.GetDouble(6)));
        }
        if (facilities.Count != rows.Count - 1)
            throw new InvalidDataException($"Imported {facilities.Count} of {rows.Count - 1} facilities.");
        return new RealDataDatabase(connectionString, facilities, clock.Elapsed);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string value) =>
        value.Length == 0 ? writer.WriteNullAsync() : writer.WriteAsync(value, NpgsqlDbType.Varchar);

    private static double Parse(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>RFC 4180: fields may be quoted, quotes inside are doubled, quoted fields may hold commas and line breaks.</summary>
    public static List<string[]> ReadCsv(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                if (fields.Count > 1 || fields[0].Length > 0) rows.Add(fields.ToArray());
                fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add(fields.ToArray());
        }
        if (quoted) throw new InvalidDataException($"{path} ends inside a quoted field.");
        var width = rows[0].Length;
        if (rows.FirstOrDefault(r => r.Length != width) is { } bad)
            throw new InvalidDataException($"{path}: a row has {bad.Length} fields, the header {width}: {string.Join('|', bad)}");
        return rows;
    }
}
