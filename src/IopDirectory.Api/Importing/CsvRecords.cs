using System.Text;

namespace IopDirectory.Importing;

/// <summary>One record of a CSV file and the line it starts on (1-based; the header is line 1).</summary>
public sealed record CsvRecord(int Line, string[] Fields);

/// <summary>
/// Reads RFC 4180 CSV one record at a time, never the whole file: fields may be quoted, quotes inside are doubled,
/// quoted fields may hold commas and line breaks (so a record can span lines; its line is where it starts).
/// Blank lines are skipped.
/// </summary>
public sealed class CsvRecords(TextReader reader, int bufferSize = 1 << 16)
{
    private readonly char[] _buffer = new char[bufferSize];
    private int _length;
    private int _position;
    private int _line = 1;

    public async ValueTask<string[]> ReadHeaderAsync(CancellationToken cancellationToken) =>
        (await NextAsync(cancellationToken))?.Fields ?? throw new InvalidDataException("The file is empty: no header line.");

    /// <summary>The next record, or null at the end of the file.</summary>
    public async ValueTask<CsvRecord?> NextAsync(CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var start = _line;
        var quoted = false;
        var started = false;
        while (true)
        {
            if (_position == _length && !await FillAsync(cancellationToken))
            {
                if (quoted) throw new InvalidDataException($"Line {start}: the file ends inside a quoted field.");
                if (!started) return null;
                fields.Add(field.ToString());
                return new CsvRecord(start, [.. fields]);
            }
            var c = _buffer[_position++];
            if (quoted)
            {
                if (c != '"')
                {
                    if (c == '\n') _line++;
                    field.Append(c);
                }
                else if ((_position < _length || await FillAsync(cancellationToken)) && _buffer[_position] == '"')
                {
                    _position++;
                    field.Append('"');
                }
                else quoted = false;
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = started = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    started = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    _line++;
                    if (!started)
                    {
                        start = _line;
                        break;
                    }
                    fields.Add(field.ToString());
                    return new CsvRecord(start, [.. fields]);
                default:
                    field.Append(c);
                    started = true;
                    break;
            }
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
        _position = 0;
        return _length > 0;
    }
}
