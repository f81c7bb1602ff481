using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using IopDirectory.Data;
using IopDirectory.Importing.Hsds;
using IopDirectory.Importing.Samhsa;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Importing;

/// <summary>
/// The <c>import</c> and <c>export</c> commands (see Importing/README.md). The report goes to stdout, progress to
/// stderr. Exit codes: 0 when the whole file was read (rejected rows included, they are in the report), 1 when the
/// import stopped (the batches before the failure are saved; rerun to complete), 2 for a usage error.
/// </summary>
public static class ImportCommands
{
    public const string Usage =
        "import samhsa-csv|samhsa-json|hsds PATH [--batch-size N], export hsds PATH";

    public static readonly IReadOnlyList<string> Formats = ["samhsa-csv", "samhsa-json", "hsds"];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, string command)
    {
        var rest = args.SkipWhile(a => a != command).Skip(1).ToList();
        var (format, path) = (rest.ElementAtOrDefault(0), rest.ElementAtOrDefault(1));
        // HSDS centres bring their programs, tracks, sessions and routes: smaller batches keep each save's audit pass short.
        var batchSize = rest.SkipWhile(a => a != "--batch-size").Skip(1).FirstOrDefault() is { } size
            ? int.Parse(size, CultureInfo.InvariantCulture)
            : format == "hsds" ? 100 : 500;
        var known = command == "export" ? format == "hsds" : Formats.Contains(format);
        if (!known || path is null || batchSize < 1)
        {
            Console.Error.WriteLine($"Usage: {Usage}.");
            return 2;
        }

        // Ctrl+C or a SIGTERM stops the import between rows: the batch in flight rolls back, the report says what was saved.
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        await db.Database.MigrateAsync(stop.Token);
        // Contexts of their own, without the app's loggers: the report on stdout is not interleaved with EF's log lines.
        var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<DirectoryDbContext>(), db.Database.GetConnectionString()!).Options;

        if (command == "export")
        {
            await using var output = File.Create(path);
            var organizations = await HsdsExporter.ExportAsync(options, output, ImportProgress.ToStandardError("export hsds", () => null), stop.Token);
            Console.WriteLine($"export hsds: {organizations:N0} organizations written to {path}");
            return 0;
        }

        var report = new ImportReport($"import {format}", path);
        try
        {
            await ImportAsync(format!, path, options, report, new ImportSettings { BatchSize = batchSize }, toStandardError: true, stop.Token);
            report.WriteTo(Console.Out);
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or DbUpdateException or Npgsql.NpgsqlException or OperationCanceledException)
        {
            report.Finish();
            Console.Error.WriteLine();
            Console.Error.WriteLine($"import {format} stopped: {e.Message}");
            Console.Error.WriteLine("The batches counted below are saved; the batch in flight was rolled back. Rerun to complete the import.");
            report.WriteTo(Console.Out);
            return 1;
        }
    }

    /// <summary>Imports one file into the database, filling <paramref name="report"/> (also when it throws half-way).</summary>
    public static async Task ImportAsync(string format, string path, DbContextOptions<DirectoryDbContext> options, ImportReport report,
        ImportSettings settings, bool toStandardError, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var progress = toStandardError
            ? ImportProgress.ToStandardError($"import {format}", () => file.Length > 0 ? (double)file.Position / file.Length : null)
            : null;
        switch (format)
        {
            case "samhsa-csv":
                using (var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
                    await new CenterImporter(options, SamhsaCsv.Actor, settings)
                        .RunAsync(SamhsaCsv.ReadAsync(reader, cancellationToken), report, SamhsaCsv.Where, "name and address", progress, cancellationToken);
                break;
            case "samhsa-json":
                await new CenterImporter(options, SamhsaJson.Actor, settings)
                    .RunAsync(SamhsaJson.ReadAsync(file, report, cancellationToken), report, SamhsaJson.Where, "frid", progress, cancellationToken);
                break;
            case "hsds":
                var helplines = new HsdsImporter.Helplines();
                await new CenterImporter(options, HsdsImporter.Actor, settings)
                    .RunAsync(HsdsImporter.ReadAsync(file, report, helplines, cancellationToken), report, HsdsImporter.Where, "source and source id",
                        progress, cancellationToken);
                await HsdsImporter.WriteHelplinesAsync(options, HsdsImporter.Actor, helplines, report, cancellationToken);
                break;
            default:
                throw new ArgumentException($"Unknown import format '{format}'; known: {string.Join(", ", Formats)}.", nameof(format));
        }
        report.Finish();
    }
}
