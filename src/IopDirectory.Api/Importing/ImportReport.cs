using System.Diagnostics;
using System.Globalization;

namespace IopDirectory.Importing;

/// <summary>A row the importer refused: where it is in the file ("line 12", "rows[3]") and why.</summary>
public sealed record Rejection(string Where, string Reason);

/// <summary>What one import did: every row of the file is counted exactly once, as inserted, updated, unchanged or rejected.</summary>
public sealed class ImportReport(string importer, string path)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, int> _notes = [];

    public string Importer { get; } = importer;
    public string Path { get; } = path;
    public int Inserted { get; internal set; }
    public int Updated { get; internal set; }
    public int Unchanged { get; internal set; }
    public List<Rejection> Rejected { get; } = [];

    /// <summary>Things worth knowing that are not rejections (a service name the taxonomy does not know...), with how often.</summary>
    public IReadOnlyDictionary<string, int> Notes => _notes;

    public int Rows => Inserted + Updated + Unchanged + Rejected.Count;
    public TimeSpan Elapsed { get; private set; }

    internal void Note(string note) => _notes[note] = _notes.GetValueOrDefault(note) + 1;

    internal void Finish() => Elapsed = _clock.Elapsed;

    public void WriteTo(TextWriter output)
    {
        var seconds = Math.Max(Elapsed.TotalSeconds, 0.001);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Importer}: {System.IO.Path.GetFileName(Path)}: {Rows:N0} rows in {Elapsed.TotalSeconds:0.0}s ({Rows / seconds:N0} rows/s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  inserted:  {Inserted:N0}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  updated:   {Updated:N0}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  unchanged: {Unchanged:N0}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rejected:  {Rejected.Count:N0}"));
        foreach (var rejection in Rejected)
            output.WriteLine($"    {rejection.Where}: {rejection.Reason}");
        if (Rows > 0 && Inserted + Updated == 0)
            output.WriteLine("  nothing changed: every row already matches the database (or was rejected)");
        if (_notes.Count == 0) return;
        output.WriteLine("  notes:");
        foreach (var (note, count) in _notes.OrderByDescending(n => n.Value).ThenBy(n => n.Key, StringComparer.Ordinal))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {count,7:N0} x {note}"));
    }
}
