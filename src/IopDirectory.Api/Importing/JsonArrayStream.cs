using System.Runtime.CompilerServices;
using System.Text.Json;

namespace IopDirectory.Importing;

/// <summary>One element of a streamed JSON array: its index, and either its value or why it could not be read.</summary>
public sealed record JsonArrayElement<T>(int Index, T? Value, string? Error);

/// <summary>
/// Streams the elements of one JSON array without reading the whole document: the array is the document itself, or
/// the named property of the top-level object (<c>{ "page": 1, "rows": [ ... ] }</c>). Only one element at a time
/// needs to fit in memory. An element that is valid JSON but not a <typeparamref name="T"/> comes back with an error
/// and the rest carry on; malformed JSON stops the stream (nothing after it can be trusted).
/// </summary>
public static class JsonArrayStream
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public static async IAsyncEnumerable<JsonArrayElement<T>> ReadAsync<T>(Stream stream, string property, JsonSerializerOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default, int bufferSize = 1 << 16)
    {
        var buffer = new byte[Math.Max(bufferSize, Utf8Bom.Length)];
        var length = 0;
        var final = false;
        // A UTF-8 byte order mark is not JSON: look at the first bytes before the reader does.
        while (length < Utf8Bom.Length && !final)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            final = read == 0;
            length += read;
        }
        if (length >= Utf8Bom.Length && buffer.AsSpan(0, Utf8Bom.Length).SequenceEqual(Utf8Bom))
        {
            Buffer.BlockCopy(buffer, Utf8Bom.Length, buffer, 0, length - Utf8Bom.Length);
            length -= Utf8Bom.Length;
        }
        var parser = new Parser<T>(property, options);
        var elements = new List<JsonArrayElement<T>>();
        while (true)
        {
            if (!final && length < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                final = read == 0;
                length += read;
            }

            var consumed = parser.Parse(buffer.AsSpan(0, length), final, elements);
            foreach (var element in elements)
                yield return element;
            elements.Clear();
            if (parser.Done) yield break;
            if (final) throw new InvalidDataException($"The JSON ends before the \"{property}\" array is closed.");

            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            // One element larger than the buffer: make room for all of it.
            if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        }
    }

    private enum Phase
    {
        Start,
        SeekingProperty,
        ExpectingArray,
        InArray,
        Done,
    }

    /// <summary>A state machine over successive buffers (a <see cref="Utf8JsonReader"/> cannot live across an await).</summary>
    private sealed class Parser<T>(string property, JsonSerializerOptions options)
    {
        private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        private Phase _phase = Phase.Start;
        private int _arrayDepth;
        private int _index;

        public bool Done => _phase == Phase.Done;

        /// <summary>Reads what it can of <paramref name="data"/> and returns how many bytes it is done with.</summary>
        public int Parse(ReadOnlySpan<byte> data, bool final, List<JsonArrayElement<T>> elements)
        {
            var reader = new Utf8JsonReader(data, final, _state);
            try
            {
                while (_phase != Phase.Done)
                {
                    var before = reader;
                    if (!reader.Read()) break;
                    switch (_phase)
                    {
                        case Phase.Start when reader.TokenType == JsonTokenType.StartArray:
                            (_phase, _arrayDepth) = (Phase.InArray, reader.CurrentDepth);
                            break;
                        case Phase.Start when reader.TokenType == JsonTokenType.StartObject:
                            _phase = Phase.SeekingProperty;
                            break;
                        case Phase.Start:
                            throw new InvalidDataException($"The JSON is neither an array nor an object with a \"{property}\" array.");
                        case Phase.SeekingProperty:
                            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(property))
                                _phase = Phase.ExpectingArray;
                            else if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                                throw new InvalidDataException($"The JSON object has no \"{property}\" array.");
                            break;
                        case Phase.ExpectingArray when reader.TokenType == JsonTokenType.StartArray:
                            (_phase, _arrayDepth) = (Phase.InArray, reader.CurrentDepth);
                            break;
                        case Phase.ExpectingArray when reader.TokenType == JsonTokenType.Null:
                            _phase = Phase.Done;
                            break;
                        case Phase.ExpectingArray:
                            throw new InvalidDataException($"\"{property}\" is not an array.");
                        case Phase.InArray when reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == _arrayDepth:
                            _phase = Phase.Done;
                            break;
                        case Phase.InArray:
                            var end = reader;
                            if (!end.TrySkip())
                            {
                                // The element is not all in the buffer yet: stop before it and come back with more.
                                reader = before;
                                _state = reader.CurrentState;
                                return (int)reader.BytesConsumed;
                            }
                            elements.Add(ReadElement(ref reader, end));
                            break;
                    }
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"The JSON is malformed near byte {e.BytePositionInLine} of line {e.LineNumber + 1}: {Brief(e)}", e);
            }
            _state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }

        private JsonArrayElement<T> ReadElement(ref Utf8JsonReader reader, Utf8JsonReader end)
        {
            var index = _index++;
            try
            {
                var value = JsonSerializer.Deserialize<T>(ref reader, options);
                return value is null ? new(index, default, "the element is null") : new(index, value, null);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                reader = end;
                return new(index, default, Brief(e));
            }
        }
    }

    /// <summary>The serializer's message without its "Path: ... | LineNumber: ..." tail, which points inside one element.</summary>
    private static string Brief(Exception e)
    {
        var message = e.Message;
        var path = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return path > 0 ? message[..path] : message;
    }
}
