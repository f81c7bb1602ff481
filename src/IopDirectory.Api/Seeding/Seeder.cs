using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;

namespace IopDirectory.Seeding;

/// <summary>
/// Loads fictional centres: the checked-in sample through EF Core (every entity validated), and synthetic
/// centres for load tests through COPY (100k centres and their children in well under a minute).
/// </summary>
public static class Seeder
{
    public const string SampleFileRelativePath = "seed/sample-centers.json";

    private const int BatchSize = 5_000;

    private static readonly string[] Tables =
        ["centers", "phones", "programs", "tracks", "track_sessions", "insurance_plans", "call_routes", "answer_hours"];

    /// <summary>
    /// Inserts the sample file's centres, then their call routes and the directory hotlines, in one
    /// transaction. Does nothing (returns 0) when centres with source "seed" already exist.
    /// </summary>
    /// <returns>The number of centres inserted.</returns>
    public static async Task<int> SeedSampleAsync(DirectoryDbContext db, string jsonPath, CancellationToken ct)
    {
        if (await db.Centers.AnyAsync(c => c.Source == SyntheticDirectory.SampleSource, ct))
            return 0;

        SampleFile file;
        await using (var stream = File.OpenRead(jsonPath))
            file = await JsonSerializer.DeserializeAsync<SampleFile>(stream, Json, ct)
                ?? throw new InvalidDataException($"{jsonPath} is empty.");
        var centers = file.Centers.Select(SampleFile.ToEntity).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Routes name their centres by id, which the database assigns: centres first, routes second.
        db.Centers.AddRange(centers);
        await db.SaveChangesAsync(ct);
        var ids = centers.ToDictionary(c => c.SourceId, c => c.Id);
        db.CallRoutes.AddRange(file.CallRoutes.Select(r => SampleFile.ToEntity(r, ids)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return centers.Count;
    }

    /// <summary>Writes <see cref="SyntheticDirectory.Sample"/> as the sample file (how seed/sample-centers.json is made).</summary>
    public static async Task WriteSampleFileAsync(string path, CancellationToken ct)
    {
        var sample = SyntheticDirectory.Sample();
        var json = JsonSerializer.Serialize(SampleFile.From(sample), Json);
        await File.WriteAllTextAsync(path, Compact(json) + "\n", ct);
    }

    /// <summary>
    /// The sample file, found by walking up from the app's folder and then from the current folder,
    /// so it works from bin/, from the repository root and from test runners.
    /// </summary>
    public static string FindSampleFile()
    {
        string[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory()];
        foreach (var start in starts)
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "seed", "sample-centers.json");
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException(
            $"Found no {SampleFileRelativePath} in {string.Join(" or ", starts)} or any folder above.", SampleFileRelativePath);
    }

    /// <summary>
    /// Bulk-loads <paramref name="count"/> synthetic centres (<see cref="SyntheticDirectory.Generate"/>) with
    /// COPY, in one transaction. Does nothing (returns 0) when synthetic centres already exist.
    /// Ids come from the tables' identity sequences while the tables are locked, and the sequences are moved
    /// past them. The search triggers (migration SearchColumns) are off during the load and replayed once at
    /// the end; a large load (10,000+ centres, at least as many as the table holds) also drops the tables'
    /// secondary indexes and foreign keys and rebuilds them from the definitions the database reports,
    /// which is several times faster than maintaining them row by row. Readers wait for the commit.
    /// </summary>
    /// <returns>The number of centres inserted.</returns>
    public static async Task<int> SeedSyntheticAsync(string connectionString, int count, int seed, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Rebuilding indexes and analysing a million rows takes longer than the default 30 s command timeout.
        builder.ConnectionStringBuilder.CommandTimeout = 0;
        await using var dataSource = builder.Build();
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        var clock = Stopwatch.StartNew();
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            // Readers wait until the load commits: triggers are switched off and, for a large load, indexes dropped.
            await ExecuteAsync(connection, $"LOCK TABLE {string.Join(", ", Tables)} IN ACCESS EXCLUSIVE MODE", ct);
            var existing = (long)(await ScalarAsync(connection, "SELECT count(*) FROM centers WHERE source = 'synthetic'", ct))!;
            if (existing > 0)
            {
                Console.Error.WriteLine($"synthetic: {existing:N0} synthetic centres already loaded; nothing to do.");
                return 0;
            }
            var centres = (long)(await ScalarAsync(connection, "SELECT count(*) FROM centers", ct))!;
            var dropIndexes = count >= 10_000 && count >= centres;

            var ids = await IdBlock.ReserveAsync(connection, ct);
            var deferred = await DeferredDefinitions.TryDropAsync(connection, dropIndexes, ct);
            Console.Error.WriteLine(deferred is null
                ? "synthetic: the tables carry triggers this loader does not know; loading with indexes and triggers in place (slower)."
                : $"synthetic: set aside {deferred.Description} for the load; they come back at the end.");

            var written = 0;
            await foreach (var batch in GenerateInBackground(count, seed, ct))
            {
                written += await WriteBatchAsync(connection, batch, ids, ct);
                Progress(written, count, clock);
            }
            await ids.AdvanceSequencesAsync(connection, ct);
            if (deferred is not null)
            {
                var rebuilding = Stopwatch.StartNew();
                await ExecuteAsync(connection, "SET LOCAL maintenance_work_mem = '256MB'", ct);
                var phases = await deferred.RestoreAsync(connection, ids.Range("centers"), ct);
                Console.Error.WriteLine($"synthetic: restored in {rebuilding.Elapsed.TotalSeconds:0.0}s ({phases}).");
            }
            await transaction.CommitAsync(ct);
        }

        // Statistics, so the planner sees the new rows before the first query. Only centres are vacuumed: the
        // search refresh leaves a dead version of each new row; autovacuum sees to the insert-only tables.
        var vacuum = Stopwatch.StartNew();
        await ExecuteAsync(connection, "VACUUM (ANALYZE) centers", ct);
        await ExecuteAsync(connection, $"ANALYZE {string.Join(", ", Tables.Where(t => t != "centers"))}", ct);
        Console.Error.WriteLine($"synthetic: vacuumed and analysed in {vacuum.Elapsed.TotalSeconds:0.0}s.");
        Console.Error.WriteLine($"synthetic: {count:N0} centres loaded and analysed in {clock.Elapsed.TotalSeconds:0.0}s "
            + $"({count / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} centres/s).");
        return count;
    }

    /// <summary>Batches of generated centres, made on another thread while the previous batch is written.</summary>
    private static async IAsyncEnumerable<List<Center>> GenerateInBackground(int count, int seed,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<List<Center>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new List<Center>(BatchSize);
                foreach (var center in SyntheticDirectory.Generate(count, seed))
                {
                    batch.Add(center);
                    if (batch.Count < BatchSize) continue;
                    await channel.Writer.WriteAsync(batch, stop.Token);
                    batch = new List<Center>(BatchSize);
                }
                if (batch.Count > 0) await channel.Writer.WriteAsync(batch, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct))
                yield return batch;
        }
        finally
        {
            // The consumer stopped early (an error or cancellation): stop generating too.
            await stop.CancelAsync();
            await producer;
        }
    }

    private static void Progress(int written, int count, Stopwatch clock)
    {
        if (written % 50_000 == 0 || written == count)
            Console.Error.WriteLine(
                $"synthetic: {written:N0}/{count:N0} centres ({written / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0}/s)");
    }

    private static async Task<int> WriteBatchAsync(NpgsqlConnection connection, List<Center> batch, IdBlock ids, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        foreach (var center in batch)
        {
            center.Id = ids.Next("centers");
            foreach (var phone in center.Phones) (phone.Id, phone.CenterId) = (ids.Next("phones"), center.Id);
            foreach (var plan in center.InsurancePlans) (plan.Id, plan.CenterId) = (ids.Next("insurance_plans"), center.Id);
            foreach (var program in center.Programs)
            {
                (program.Id, program.CenterId) = (ids.Next("programs"), center.Id);
                foreach (var track in program.Tracks)
                {
                    (track.Id, track.ProgramId) = (ids.Next("tracks"), program.Id);
                    foreach (var session in track.Sessions) (session.Id, session.TrackId) = (ids.Next("track_sessions"), track.Id);
                }
            }
            foreach (var route in center.CallRoutes)
            {
                (route.Id, route.CenterId) = (ids.Next("call_routes"), center.Id);
                if (route.DestinationKind == RouteDestinationKind.Facility) route.DestinationCenterId = center.Id;
                foreach (var hours in route.Hours) (hours.Id, hours.CallRouteId) = (ids.Next("answer_hours"), route.Id);
            }
        }

        await CopyAsync(connection, "centers (id, name, description, website, street1, street2, city, state, postal_code, county, location, "
            + "time_zone, levels_of_care, accepting_new_patients, accreditations, state_license_number, languages, populations, conditions, "
            + "service_area, payer_types, free_consultation, source, source_id, last_verified_at)", batch, (row, c) => row
            .Int(c.Id).Text(c.Name).Text(c.Description).Text(c.Website)
            .Text(c.Address.Street1).Text(c.Address.Street2).Text(c.Address.City).Text(c.Address.State).Text(c.Address.PostalCode).Text(c.Address.County)
            .Geography(c.Location).Text(c.TimeZone).Names(c.LevelsOfCare).Bool(c.AcceptingNewPatients).Names(c.Accreditations)
            .Text(c.StateLicenseNumber).Array(c.Languages).Names(c.Populations).Names(c.Conditions).Geography(c.ServiceArea)
            .Names(c.PayerTypes).Bool(c.FreeConsultation).Text(c.Source).Text(c.SourceId).Timestamp(c.LastVerifiedAt), ct);

        await CopyAsync(connection, "phones (id, center_id, kind, number, extension)", batch.SelectMany(c => c.Phones), (row, p) => row
            .Int(p.Id).Int(p.CenterId).Name(p.Kind).Text(p.Number).Text(p.Extension), ct);

        var programs = batch.SelectMany(c => c.Programs).ToList();
        await CopyAsync(connection, "programs (id, center_id, name, description, min_hours_per_week, max_hours_per_week, min_days_per_week, "
            + "max_days_per_week, min_duration_weeks, max_duration_weeks, steps_down, telehealth, in_person, min_age, max_age, service_codes)",
            programs, (row, p) => row
                .Int(p.Id).Int(p.CenterId).Text(p.Name).Text(p.Description).Decimal(p.MinHoursPerWeek).Decimal(p.MaxHoursPerWeek)
                .Int(p.MinDaysPerWeek).Int(p.MaxDaysPerWeek).Int(p.MinDurationWeeks).Int(p.MaxDurationWeeks)
                .Bool(p.StepsDown).Bool(p.Telehealth).Bool(p.InPerson).Int(p.MinAge).Int(p.MaxAge).Array(p.ServiceCodes), ct);

        var tracks = programs.SelectMany(p => p.Tracks).ToList();
        await CopyAsync(connection, "tracks (id, program_id, kind)", tracks, (row, t) => row.Int(t.Id).Int(t.ProgramId).Name(t.Kind), ct);

        await CopyAsync(connection, "track_sessions (id, track_id, weekday, starts_at, ends_at)", tracks.SelectMany(t => t.Sessions), (row, s) => row
            .Int(s.Id).Int(s.TrackId).Name(s.Weekday).Time(s.StartsAt).Time(s.EndsAt), ct);

        await CopyAsync(connection, "insurance_plans (id, center_id, carrier_code, plan_name)", batch.SelectMany(c => c.InsurancePlans), (row, p) => row
            .Int(p.Id).Int(p.CenterId).Text(p.CarrierCode).Text(p.PlanName), ct);

        var routes = batch.SelectMany(c => c.CallRoutes).ToList();
        await CopyAsync(connection, "call_routes (id, center_id, number, kind, destination_kind, destination_center_id, partner_network_name, "
            + "destination_number, answered_all_hours, answer_time_zone, after_hours_number, after_hours_label, is_paid_placement, disclosure, "
            + "callbacks_offered)", routes, (row, r) => row
                .Int(r.Id).Int(r.CenterId).Text(r.Number).Name(r.Kind).Name(r.DestinationKind).Int(r.DestinationCenterId)
                .Text(r.PartnerNetworkName).Text(r.DestinationNumber).Bool(r.AnsweredAllHours).Text(r.AnswerTimeZone)
                .Text(r.AfterHoursNumber).Text(r.AfterHoursLabel).Bool(r.IsPaidPlacement).Text(r.Disclosure).Bool(r.CallbacksOffered), ct);

        await CopyAsync(connection, "answer_hours (id, call_route_id, weekday, opens_at, closes_at)", routes.SelectMany(r => r.Hours), (row, h) => row
            .Int(h.Id).Int(h.CallRouteId).Name(h.Weekday).Time(h.OpensAt).Time(h.ClosesAt), ct);

        return batch.Count;
    }

    /// <summary>
    /// COPY in text format. Binary COPY pays Npgsql's per-value binding (about a microsecond for each of the
    /// ~170 values a centre has), which made the client the bottleneck; text rows are cheap to format and
    /// PostgreSQL parses them faster than the client could encode them.
    /// </summary>
    private static async Task CopyAsync<T>(NpgsqlConnection connection, string target, IEnumerable<T> rows,
        Action<CopyRow, T> write, CancellationToken ct)
    {
        var text = new StringBuilder(1 << 17);
        var row = new CopyRow(text);
        await using var writer = await connection.BeginTextImportAsync($"COPY {target} FROM STDIN", ct);
        foreach (var item in rows)
        {
            write(row, item);
            row.End();
            if (text.Length < 1 << 16) continue;
            await writer.WriteAsync(text, ct);
            text.Clear();
        }
        await writer.WriteAsync(text, ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct);
    }

    /// <summary>One row of COPY's text format: tab-separated, \N for null, backslash escapes, arrays as {a,b}.</summary>
    private sealed class CopyRow(StringBuilder text)
    {
        private static readonly SearchValues<char> Special = SearchValues.Create("\\\t\n\r");
        private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create("{}\",\\ \t\n\r");
        private bool first = true;

        public void End()
        {
            text.Append('\n');
            first = true;
        }

        public CopyRow Int(int value)
        {
            Next().Append(CultureInfo.InvariantCulture, $"{value}");
            return this;
        }

        public CopyRow Int(int? value) => value is { } number ? Int(number) : Null();

        public CopyRow Bool(bool value)
        {
            Next().Append(value ? 't' : 'f');
            return this;
        }

        public CopyRow Decimal(decimal value)
        {
            Next().Append(CultureInfo.InvariantCulture, $"{value}");
            return this;
        }

        public CopyRow Time(TimeOnly value)
        {
            Next().Append(CultureInfo.InvariantCulture, $"{value:HH:mm:ss.FFFFFFF}");
            return this;
        }

        public CopyRow Timestamp(DateTimeOffset? value)
        {
            if (value is not { } instant) return Null();
            Next().Append(CultureInfo.InvariantCulture, $"{instant.UtcDateTime:yyyy-MM-dd HH:mm:ss.FFFFFFF}+00");
            return this;
        }

        public CopyRow Text(string? value)
        {
            if (value is null) return Null();
            Next();
            Escape(value);
            return this;
        }

        public CopyRow Name<TEnum>(TEnum value) where TEnum : struct, Enum => Text(value.ToString());

        /// <summary>Enum sets are text[] of the C# names, as EF Core maps them.</summary>
        public CopyRow Names<TEnum>(List<TEnum> values) where TEnum : struct, Enum
        {
            Next().Append('{');
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0) text.Append(',');
                Element(values[i].ToString());
            }
            text.Append('}');
            return this;
        }

        public CopyRow Array(List<string> values)
        {
            Next().Append('{');
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0) text.Append(',');
                Element(values[i]);
            }
            text.Append('}');
            return this;
        }

        /// <summary>Extended WKT, which PostGIS's geography input reads: SRID=4326;POINT(lng lat).</summary>
        public CopyRow Geography(Geometry? geometry)
        {
            switch (geometry)
            {
                case null:
                    return Null();
                case Point point:
                    Next().Append(CultureInfo.InvariantCulture, $"SRID={point.SRID};POINT({point.X} {point.Y})");
                    return this;
                case MultiPolygon area:
                    Next().Append(CultureInfo.InvariantCulture, $"SRID={area.SRID};MULTIPOLYGON(");
                    for (var p = 0; p < area.NumGeometries; p++)
                    {
                        var polygon = (Polygon)area.GetGeometryN(p);
                        text.Append(p > 0 ? ",(" : "(");
                        for (var r = 0; r <= polygon.NumInteriorRings; r++)
                        {
                            var ring = r == 0 ? polygon.ExteriorRing : polygon.GetInteriorRingN(r - 1);
                            text.Append(r > 0 ? ",(" : "(");
                            for (var i = 0; i < ring.NumPoints; i++)
                            {
                                var c = ring.GetCoordinateN(i);
                                text.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{c.X} {c.Y}");
                            }
                            text.Append(')');
                        }
                        text.Append(')');
                    }
                    text.Append(')');
                    return this;
                default:
                    throw new NotSupportedException($"No COPY form for {geometry.GeometryType}.");
            }
        }

        private CopyRow Null()
        {
            Next().Append(@"\N");
            return this;
        }

        private StringBuilder Next()
        {
            if (!first) text.Append('\t');
            first = false;
            return text;
        }

        /// <summary>An array element, double-quoted when it holds anything the array syntax gives a meaning.</summary>
        private void Element(string value)
        {
            if (value.Length > 0 && !value.AsSpan().ContainsAny(NeedsQuotes) && !value.Equals("NULL", StringComparison.OrdinalIgnoreCase))
                Escape(value);
            else
                Escape("\"" + value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }

        private void Escape(string value)
        {
            if (!value.AsSpan().ContainsAny(Special))
            {
                text.Append(value);
                return;
            }
            foreach (var c in value)
                _ = c switch
                {
                    '\\' => text.Append(@"\\"),
                    '\t' => text.Append(@"\t"),
                    '\n' => text.Append(@"\n"),
                    '\r' => text.Append(@"\r"),
                    _ => text.Append(c),
                };
        }
    }

    /// <summary>
    /// What a bulk load sets aside and puts back: the seeded tables' secondary indexes and foreign keys,
    /// as the database itself prints them (pg_get_indexdef, pg_get_constraintdef) so they return with the
    /// same names and definitions, and their search triggers (migration SearchColumns), which would
    /// otherwise refresh every batch's centres with the indexes gone. Primary keys and checks stay.
    /// </summary>
    private sealed class DeferredDefinitions
    {
        /// <summary>The trigger functions of the SearchColumns migration; refresh_center_search replays them in one statement.</summary>
        private static readonly string[] KnownTriggerFunctions = ["refresh_center_search_from_programs", "refresh_center_search_from_tracks"];

        private readonly List<string> childIndexes = [];
        private readonly List<string> centerIndexes = [];
        private readonly List<string> foreignKeys = [];
        private readonly List<string> triggers = [];

        public string Description =>
            string.Join(", ", new[]
            {
                (childIndexes.Count + centerIndexes.Count, "secondary indexes"), (foreignKeys.Count, "foreign keys"), (triggers.Count, "search triggers"),
            }.Where(part => part.Item1 > 0).Select(part => $"{part.Item1} {part.Item2}").DefaultIfEmpty("nothing"));

        /// <summary>
        /// Switches the search triggers off and, for a large load, drops the indexes and foreign keys; returns null,
        /// touching nothing, when the tables carry a trigger this loader cannot replay.
        /// </summary>
        public static async Task<DeferredDefinitions?> TryDropAsync(NpgsqlConnection connection, bool dropIndexes, CancellationToken ct)
        {
            var definitions = new DeferredDefinitions();
            var drops = new List<string>();

            var triggers = await QueryAsync(connection, """
                SELECT format('ALTER TABLE %s DISABLE TRIGGER %I', t.tgrelid::regclass, t.tgname),
                       format('ALTER TABLE %s ENABLE TRIGGER %I', t.tgrelid::regclass, t.tgname),
                       CASE WHEN t.tgenabled = 'O' THEN p.proname ELSE '' END
                FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE t.tgrelid = ANY(@tables::regclass[]) AND NOT t.tgisinternal AND t.tgenabled <> 'D'
                ORDER BY 1
                """, ct);
            if (triggers.Any(t => !KnownTriggerFunctions.Contains(t[2])))
                return null;
            if (triggers.Count > 0 && await ScalarAsync(connection, "SELECT to_regprocedure('refresh_center_search(integer[])') IS NOT NULL", ct) is not true)
                return null;
            foreach (var trigger in triggers)
            {
                drops.Add(trigger[0]);
                definitions.triggers.Add(trigger[1]);
            }

            foreach (var foreignKey in !dropIndexes ? [] : await QueryAsync(connection, """
                SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
                       format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
                FROM pg_constraint
                WHERE contype = 'f' AND conrelid = ANY(@tables::regclass[])
                ORDER BY 1
                """, ct))
            {
                drops.Add(foreignKey[0]);
                definitions.foreignKeys.Add(foreignKey[1]);
            }

            foreach (var index in !dropIndexes ? [] : await QueryAsync(connection, """
                SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid), i.indrelid::regclass::text
                FROM pg_index i
                WHERE i.indrelid = ANY(@tables::regclass[])
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                ORDER BY 1
                """, ct))
            {
                drops.Add(index[0]);
                (index[2] == "centers" ? definitions.centerIndexes : definitions.childIndexes).Add(index[1]);
            }

            foreach (var drop in drops)
                await ExecuteAsync(connection, drop, ct);
            return definitions;
        }

        /// <summary>
        /// Children's indexes first (the search refresh looks children up by centre), then the search columns of
        /// the new centres in one statement, then the centres' own indexes (built once, over the refreshed rows),
        /// then the foreign keys, each checked in one pass.
        /// </summary>
        public async Task<string> RestoreAsync(NpgsqlConnection connection, (int First, int Last) newCenters, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            foreach (var sql in childIndexes) await ExecuteAsync(connection, sql, ct);
            foreach (var sql in triggers) await ExecuteAsync(connection, sql, ct);
            var indexes = clock.Elapsed;
            if (triggers.Count > 0 && newCenters.Last >= newCenters.First)
            {
                // Statistics first: the tables were last analysed nearly empty, and with those the planner scans
                // every program for every centre (hours for 100k centres instead of seconds).
                await ExecuteAsync(connection, "ANALYZE centers, programs, tracks, insurance_plans", ct);
                await ExecuteAsync(connection,
                    $"SELECT refresh_center_search(ARRAY(SELECT id FROM centers WHERE id BETWEEN {newCenters.First} AND {newCenters.Last}))", ct);
            }
            var search = clock.Elapsed - indexes;
            foreach (var sql in centerIndexes) await ExecuteAsync(connection, sql, ct);
            indexes = clock.Elapsed - search;
            foreach (var sql in foreignKeys) await ExecuteAsync(connection, sql, ct);
            var keys = clock.Elapsed - search - indexes;
            return $"indexes {indexes.TotalSeconds:0.0}s, search columns {search.TotalSeconds:0.0}s, foreign keys {keys.TotalSeconds:0.0}s";
        }

        private static async Task<List<string[]>> QueryAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("tables", Tables);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<string[]>();
            while (await reader.ReadAsync(ct))
                rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
            return rows;
        }
    }

    /// <summary>Ids handed out from each table's identity sequence while the tables are locked.</summary>
    private sealed class IdBlock
    {
        private readonly Dictionary<string, int> next = [];
        private readonly Dictionary<string, int> first = [];

        public static async Task<IdBlock> ReserveAsync(NpgsqlConnection connection, CancellationToken ct)
        {
            var block = new IdBlock();
            foreach (var table in Tables)
            {
                // max(id) as well, in case rows were ever inserted with explicit ids behind the sequence's back.
                var start = Convert.ToInt32(await ScalarAsync(connection,
                    $"SELECT greatest(nextval(pg_get_serial_sequence('{table}', 'id')), coalesce((SELECT max(id) FROM {table}), 0) + 1)", ct),
                    CultureInfo.InvariantCulture);
                block.first[table] = block.next[table] = start;
            }
            return block;
        }

        public int Next(string table) => next[table]++;

        /// <summary>The ids handed out so far (Last &lt; First when none).</summary>
        public (int First, int Last) Range(string table) => (first[table], next[table] - 1);

        public async Task AdvanceSequencesAsync(NpgsqlConnection connection, CancellationToken ct)
        {
            foreach (var table in Tables)
                if (next[table] > first[table])
                    await ExecuteAsync(connection, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {next[table] - 1})", ct);
        }
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    private const string JsonString = """
        "(?:[^"\\\n]|\\.)*"
        """;

    private const string JsonScalar = JsonString + """|-?\d[\d.eE+-]*|true|false""";

    /// <summary>
    /// Puts small things on one line so the file reads like a listing: coordinate pairs, lists of names,
    /// and objects of up to three plain properties (sessions, hours, phones, plans).
    /// </summary>
    internal static string Compact(string json)
    {
        json = Regex.Replace(json, @"\[\s*(-?\d[\d.eE+-]*)\s*,\s*(-?\d[\d.eE+-]*)\s*\]", "[$1, $2]");
        json = Regex.Replace(json, $@"\[\s*({JsonString}(?:\s*,\s*{JsonString})*)\s*\]",
            m => "[" + string.Join(", ", Regex.Matches(m.Groups[1].Value, JsonString).Select(s => s.Value)) + "]");
        var property = $@"{JsonString}: (?:{JsonScalar})";
        return Regex.Replace(json, $@"\{{\s*({property}(?:,\s*{property}){{0,2}})\s*\}}",
            m => "{ " + string.Join(", ", Regex.Matches(m.Groups[1].Value, property).Select(s => s.Value)) + " }");
    }
}

/// <summary>The JSON shape of seed/sample-centers.json.</summary>
internal sealed class SampleFile
{
    public string? About { get; init; }
    public List<CenterRecord> Centers { get; init; } = [];

    /// <summary>Every centre's routes and the directory-wide hotlines; centres are named by source id.</summary>
    public List<CallRouteRecord> CallRoutes { get; init; } = [];

    public static SampleFile From(SampleDirectory sample) => new()
    {
        About = "Fictional intensive outpatient (IOP) treatment centres for development and demos. Names, street numbers, "
            + "phone numbers (555-01xx, reserved for fiction), licence numbers and websites (.example) are invented; cities, "
            + $"ZIP codes, counties and time zones are real. Generated by IopDirectory.Seeding.SyntheticDirectory.Sample(seed: {SyntheticDirectory.SampleSeed}).",
        Centers = [.. sample.Centers.Select(CenterRecord.From)],
        CallRoutes = [.. sample.Hotlines.Select(r => CallRouteRecord.From(r, null))
            .Concat(sample.Centers.SelectMany(c => c.CallRoutes.Select(r => CallRouteRecord.From(r, c.SourceId))))],
    };

    public static Center ToEntity(CenterRecord r) => new()
    {
        Name = r.Name,
        Description = r.Description,
        Website = r.Website,
        Address = new Address
        {
            Street1 = r.Address.Street1,
            Street2 = r.Address.Street2,
            City = r.Address.City,
            State = r.Address.State,
            PostalCode = r.Address.PostalCode,
            County = r.Address.County,
        },
        Location = SyntheticDirectory.Geometry.CreatePoint(new Coordinate(r.Longitude, r.Latitude)),
        TimeZone = r.TimeZone,
        LevelsOfCare = r.LevelsOfCare,
        AcceptingNewPatients = r.AcceptingNewPatients,
        Accreditations = r.Accreditations,
        StateLicenseNumber = r.StateLicenseNumber,
        Languages = r.Languages,
        Populations = r.Populations,
        Conditions = r.Conditions,
        ServiceArea = r.ServiceArea?.ToGeometry(),
        PayerTypes = r.PayerTypes,
        FreeConsultation = r.FreeConsultation,
        Source = SyntheticDirectory.SampleSource,
        SourceId = r.SourceId,
        LastVerifiedAt = r.LastVerifiedAt,
        Phones = [.. r.Phones.Select(p => new Phone { Kind = p.Kind, Number = p.Number, Extension = p.Extension })],
        InsurancePlans = [.. r.InsurancePlans.Select(p => new InsurancePlan { CarrierCode = p.Carrier, PlanName = p.PlanName })],
        Programs = [.. r.Programs.Select(p => new IopProgram
        {
            Name = p.Name,
            Description = p.Description,
            MinHoursPerWeek = p.MinHoursPerWeek,
            MaxHoursPerWeek = p.MaxHoursPerWeek,
            MinDaysPerWeek = p.MinDaysPerWeek,
            MaxDaysPerWeek = p.MaxDaysPerWeek,
            MinDurationWeeks = p.MinDurationWeeks,
            MaxDurationWeeks = p.MaxDurationWeeks,
            StepsDown = p.StepsDown,
            Telehealth = p.Telehealth,
            InPerson = p.InPerson,
            MinAge = p.MinAge,
            MaxAge = p.MaxAge,
            ServiceCodes = p.ServiceCodes,
            Tracks = [.. p.Tracks.Select(t => new Track
            {
                Kind = t.Kind,
                Sessions = [.. t.Sessions.Select(s => new TrackSession { Weekday = s.Weekday, StartsAt = Time(s.StartsAt), EndsAt = Time(s.EndsAt) })],
            })],
        })],
    };

    public static CallRoute ToEntity(CallRouteRecord r, IReadOnlyDictionary<string, int> ids)
    {
        int? Id(string? sourceId) => sourceId is null ? null
            : ids.TryGetValue(sourceId, out var id) ? id
            : throw new InvalidDataException($"Call route {r.Number} names centre '{sourceId}', which is not in the file.");

        return new CallRoute
        {
            CenterId = Id(r.CenterSourceId),
            Number = r.Number,
            Kind = r.Kind,
            DestinationKind = r.DestinationKind,
            DestinationCenterId = Id(r.DestinationSourceId),
            PartnerNetworkName = r.PartnerNetworkName,
            DestinationNumber = r.DestinationNumber,
            AnsweredAllHours = r.AnsweredAllHours,
            AnswerTimeZone = r.AnswerTimeZone,
            Hours = [.. r.Hours.Select(h => new AnswerHours { Weekday = h.Weekday, OpensAt = Time(h.OpensAt), ClosesAt = Time(h.ClosesAt) })],
            AfterHoursNumber = r.AfterHoursNumber,
            AfterHoursLabel = r.AfterHoursLabel,
            IsPaidPlacement = r.IsPaidPlacement,
            Disclosure = r.Disclosure,
            CallbacksOffered = r.CallbacksOffered,
        };
    }

    internal static TimeOnly Time(string value) =>
        TimeOnly.ParseExact(value, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture);

    internal static string Time(TimeOnly value) => value.ToString(value.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);
}

internal sealed class CenterRecord
{
    public required string SourceId { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? Website { get; init; }
    public required AddressRecord Address { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public required string TimeZone { get; init; }
    public DateTimeOffset? LastVerifiedAt { get; init; }
    public bool AcceptingNewPatients { get; init; }
    public bool FreeConsultation { get; init; }
    public List<LevelOfCare> LevelsOfCare { get; init; } = [];
    public List<Accreditation> Accreditations { get; init; } = [];
    public string? StateLicenseNumber { get; init; }
    public List<string> Languages { get; init; } = [];
    public List<Population> Populations { get; init; } = [];
    public List<Condition> Conditions { get; init; } = [];
    public List<PayerType> PayerTypes { get; init; } = [];
    public List<PlanRecord> InsurancePlans { get; init; } = [];
    public List<PhoneRecord> Phones { get; init; } = [];
    public List<ProgramRecord> Programs { get; init; } = [];

    /// <summary>GeoJSON: where the centre's telehealth programs serve.</summary>
    public MultiPolygonRecord? ServiceArea { get; init; }

    public static CenterRecord From(Center c) => new()
    {
        SourceId = c.SourceId,
        Name = c.Name,
        Description = c.Description,
        Website = c.Website,
        Address = new AddressRecord
        {
            Street1 = c.Address.Street1,
            Street2 = c.Address.Street2,
            City = c.Address.City,
            State = c.Address.State,
            PostalCode = c.Address.PostalCode,
            County = c.Address.County,
        },
        Latitude = c.Latitude,
        Longitude = c.Longitude,
        TimeZone = c.TimeZone,
        LastVerifiedAt = c.LastVerifiedAt,
        AcceptingNewPatients = c.AcceptingNewPatients,
        FreeConsultation = c.FreeConsultation,
        LevelsOfCare = c.LevelsOfCare,
        Accreditations = c.Accreditations,
        StateLicenseNumber = c.StateLicenseNumber,
        Languages = c.Languages,
        Populations = c.Populations,
        Conditions = c.Conditions,
        PayerTypes = c.PayerTypes,
        InsurancePlans = [.. c.InsurancePlans.Select(p => new PlanRecord { Carrier = p.CarrierCode, PlanName = p.PlanName })],
        Phones = [.. c.Phones.Select(p => new PhoneRecord { Kind = p.Kind, Number = p.Number, Extension = p.Extension })],
        Programs = [.. c.Programs.Select(ProgramRecord.From)],
        ServiceArea = c.ServiceArea is null ? null : MultiPolygonRecord.From(c.ServiceArea),
    };
}

internal sealed class AddressRecord
{
    public required string Street1 { get; init; }
    public string? Street2 { get; init; }
    public required string City { get; init; }
    public required string State { get; init; }
    public required string PostalCode { get; init; }
    public string? County { get; init; }
}

internal sealed class PhoneRecord
{
    public PhoneKind Kind { get; init; }
    public required string Number { get; init; }
    public string? Extension { get; init; }
}

internal sealed class PlanRecord
{
    public required string Carrier { get; init; }
    public string? PlanName { get; init; }
}

internal sealed class ProgramRecord
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public decimal MinHoursPerWeek { get; init; }
    public decimal MaxHoursPerWeek { get; init; }
    public int MinDaysPerWeek { get; init; }
    public int MaxDaysPerWeek { get; init; }
    public int? MinDurationWeeks { get; init; }
    public int? MaxDurationWeeks { get; init; }
    public bool StepsDown { get; init; }
    public bool Telehealth { get; init; }
    public bool InPerson { get; init; }
    public int? MinAge { get; init; }
    public int? MaxAge { get; init; }
    public List<string> ServiceCodes { get; init; } = [];
    public List<TrackRecord> Tracks { get; init; } = [];

    public static ProgramRecord From(IopProgram p) => new()
    {
        Name = p.Name,
        Description = p.Description,
        MinHoursPerWeek = p.MinHoursPerWeek,
        MaxHoursPerWeek = p.MaxHoursPerWeek,
        MinDaysPerWeek = p.MinDaysPerWeek,
        MaxDaysPerWeek = p.MaxDaysPerWeek,
        MinDurationWeeks = p.MinDurationWeeks,
        MaxDurationWeeks = p.MaxDurationWeeks,
        StepsDown = p.StepsDown,
        Telehealth = p.Telehealth,
        InPerson = p.InPerson,
        MinAge = p.MinAge,
        MaxAge = p.MaxAge,
        ServiceCodes = p.ServiceCodes,
        Tracks = [.. p.Tracks.Select(t => new TrackRecord
        {
            Kind = t.Kind,
            Sessions = [.. t.Sessions.Select(s => new SessionRecord
            {
                Weekday = s.Weekday,
                StartsAt = SampleFile.Time(s.StartsAt),
                EndsAt = SampleFile.Time(s.EndsAt),
            })],
        })],
    };
}

internal sealed class TrackRecord
{
    public TrackKind Kind { get; init; }
    public List<SessionRecord> Sessions { get; init; } = [];
}

internal sealed class SessionRecord
{
    public DayOfWeek Weekday { get; init; }
    public required string StartsAt { get; init; }
    public required string EndsAt { get; init; }
}

internal sealed class CallRouteRecord
{
    public required string Number { get; init; }
    public DisplayedNumberKind Kind { get; init; }

    /// <summary>The source id of the centre whose listing shows the number; absent for directory-wide numbers.</summary>
    public string? CenterSourceId { get; init; }
    public RouteDestinationKind DestinationKind { get; init; }
    public string? DestinationSourceId { get; init; }
    public string? PartnerNetworkName { get; init; }
    public required string DestinationNumber { get; init; }
    public bool AnsweredAllHours { get; init; }
    public required string AnswerTimeZone { get; init; }
    public List<HoursRecord> Hours { get; init; } = [];
    public string? AfterHoursNumber { get; init; }
    public string? AfterHoursLabel { get; init; }
    public bool IsPaidPlacement { get; init; }
    public string? Disclosure { get; init; }
    public bool CallbacksOffered { get; init; }

    /// <summary>Generated routes ring their own centre, which has no id yet: the source id stands in for it.</summary>
    public static CallRouteRecord From(CallRoute r, string? centerSourceId) => new()
    {
        Number = r.Number,
        Kind = r.Kind,
        CenterSourceId = centerSourceId,
        DestinationKind = r.DestinationKind,
        DestinationSourceId = r.DestinationKind == RouteDestinationKind.Facility ? centerSourceId : null,
        PartnerNetworkName = r.PartnerNetworkName,
        DestinationNumber = r.DestinationNumber,
        AnsweredAllHours = r.AnsweredAllHours,
        AnswerTimeZone = r.AnswerTimeZone,
        Hours = [.. r.Hours.Select(h => new HoursRecord { Weekday = h.Weekday, OpensAt = SampleFile.Time(h.OpensAt), ClosesAt = SampleFile.Time(h.ClosesAt) })],
        AfterHoursNumber = r.AfterHoursNumber,
        AfterHoursLabel = r.AfterHoursLabel,
        IsPaidPlacement = r.IsPaidPlacement,
        Disclosure = r.Disclosure,
        CallbacksOffered = r.CallbacksOffered,
    };
}

internal sealed class HoursRecord
{
    public DayOfWeek Weekday { get; init; }
    public required string OpensAt { get; init; }
    public required string ClosesAt { get; init; }
}

/// <summary>A GeoJSON MultiPolygon: polygons of rings of [longitude, latitude] positions.</summary>
internal sealed class MultiPolygonRecord
{
    public string Type { get; init; } = "MultiPolygon";
    public required double[][][][] Coordinates { get; init; }

    public static MultiPolygonRecord From(MultiPolygon area) => new()
    {
        Coordinates = [.. area.Geometries.Cast<Polygon>().Select(polygon =>
            new[] { polygon.Shell }.Concat(polygon.Holes)
                .Select(ring => ring.Coordinates.Select(c => new[] { c.X, c.Y }).ToArray()).ToArray())],
    };

    public MultiPolygon ToGeometry()
    {
        if (Type != "MultiPolygon") throw new InvalidDataException($"A service area is a GeoJSON MultiPolygon, not {Type}.");
        var factory = SyntheticDirectory.Geometry;
        return factory.CreateMultiPolygon([.. Coordinates.Select(rings =>
        {
            var linear = rings.Select(ring => factory.CreateLinearRing([.. ring.Select(p => new Coordinate(p[0], p[1]))])).ToArray();
            return factory.CreatePolygon(linear[0], linear[1..]);
        })]);
    }
}
