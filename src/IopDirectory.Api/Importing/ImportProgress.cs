using System.Diagnostics;
using System.Globalization;

namespace IopDirectory.Importing;

/// <summary>
/// Rows done, rows per second and, when the file's size is known, how far through the file the reader is. On a
/// terminal the line is rewritten in place a few times a second; redirected, a line is written every few seconds.
/// </summary>
public sealed class ImportProgress(TextWriter output, string label, Func<double?> fraction, bool interactive)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _every = interactive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(5);
    private TimeSpan _last = TimeSpan.Zero;

    /// <summary>Progress on stderr, rewritten in place when stderr is a terminal.</summary>
    public static ImportProgress ToStandardError(string label, Func<double?> fraction) =>
        new(Console.Error, label, fraction, !Console.IsErrorRedirected);

    public void Report(int rows, bool final = false)
    {
        var now = _clock.Elapsed;
        if (!final && now - _last < _every) return;
        _last = now;
        var rate = rows / Math.Max(now.TotalSeconds, 0.001);
        var percent = fraction() is { } f ? string.Create(CultureInfo.InvariantCulture, $" ({Math.Clamp(f, 0, 1) * 100:0}%)") : "";
        var line = string.Create(CultureInfo.InvariantCulture, $"{label}: {rows:N0} rows{percent}, {rate:N0} rows/s");
        if (interactive) output.Write("\r" + line.PadRight(60) + (final ? "\n" : ""));
        else output.WriteLine(line);
    }
}
