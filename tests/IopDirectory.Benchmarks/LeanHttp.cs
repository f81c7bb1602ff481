using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IopDirectory.Benchmarks;

/// <summary>
/// The load generator's HTTP client: one kept-alive HTTP/1.1 connection per client, a POST written as one buffer, the
/// response read with its Content-Length or chunked framing. The API, PostgreSQL and the load generator share the
/// machine's two cores, so every millisecond the generator spends is taken from the API under test: HttpClient spends
/// about 0.35 ms of CPU per search (its handler pipeline, headers as objects, a response stream), this about 0.07, as
/// <c>wrk</c> does. The raw modes' client (Npgsql) does the work any application reading the rows does, so it stays.
/// <para>
/// Every run checks what <see cref="ApiClient"/> checks (status 200, no GraphQL errors), and the bench compares this
/// client's bodies with HttpClient's before the runs (<see cref="SameBodiesAsync"/>).
/// </para>
/// </summary>
public sealed class LeanHttpClient : IDisposable
{
    private readonly LeanHttpConnection[] _connections;

    public LeanHttpClient(Uri endpoint, int connections, string? bearerToken = null)
    {
        if (!IPAddress.IsLoopback(IPAddress.Parse(endpoint.Host)))
            throw new InvalidOperationException($"The benchmark sends traffic to 127.0.0.1 only, not {endpoint.Host}.");
        var head = new StringBuilder()
            .Append($"POST {endpoint.PathAndQuery} HTTP/1.1\r\n")
            .Append($"Host: {endpoint.Authority}\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Accept: application/graphql-response+json\r\n");
        if (bearerToken is not null) head.Append($"Authorization: Bearer {bearerToken}\r\n");
        head.Append("Content-Length: ");
        var prefix = Encoding.ASCII.GetBytes(head.ToString());
        var address = new IPEndPoint(IPAddress.Parse(endpoint.Host), endpoint.Port);
        _connections = [.. Enumerable.Range(0, connections).Select(_ => new LeanHttpConnection(address, prefix))];
    }

    /// <summary>One POST on the client's own connection: the response body, after the status and errors checks.</summary>
    public async Task<ReadOnlyMemory<byte>> PostAsync(int client, byte[] body, CancellationToken ct)
    {
        var (status, response) = await _connections[client].PostAsync(body, ct);
        ApiClient.Check(status, response.Span);
        return response;
    }

    public async Task<int> SearchAsync(int client, byte[] body, CancellationToken ct) =>
        ApiClient.Count((await PostAsync(client, body, ct)).Span, "\"node\""u8);

    public async Task<int> MatchAsync(int client, byte[] body, CancellationToken ct) =>
        ApiClient.Count((await PostAsync(client, body, ct)).Span, "\"rank\""u8);

    /// <summary>
    /// Sends each body through this client and through HttpClient: the number of bodies whose responses are byte for byte
    /// the same, and the first difference. Responses carry no time or request id, so a difference is a framing bug here.
    /// </summary>
    public static async Task<(int Same, string? Difference)> SameBodiesAsync(Uri endpoint, IReadOnlyList<byte[]> bodies, CancellationToken ct)
    {
        using var lean = new LeanHttpClient(endpoint, 1);
        using var http = new ApiClient(endpoint, 1);
        var same = 0;
        string? difference = null;
        foreach (var body in bodies)
        {
            var expected = await http.PostAsync(body, ct);
            var actual = (await lean.PostAsync(0, body, ct)).ToArray();
            if (expected.AsSpan().SequenceEqual(actual)) same++;
            else difference ??= $"{actual.Length} bytes against HttpClient's {expected.Length}";
        }
        return (same, difference);
    }

    public void Dispose()
    {
        foreach (var connection in _connections) connection.Dispose();
    }
}

/// <summary>One HTTP/1.1 connection, opened on first use and again after the server closes it or a request fails.</summary>
public sealed class LeanHttpConnection(IPEndPoint address, byte[] requestPrefix) : IDisposable
{
    private const int MaxHeaderBytes = 16 * 1024;
    private static readonly byte[] BlankLine = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();
    private Socket? _socket;
    private byte[] _request = new byte[4096];
    private readonly byte[] _in = new byte[64 * 1024];
    private int _start, _end;
    private byte[] _body = new byte[64 * 1024];
    private int _bodyLength;

    /// <summary>Sends the request and reads the whole response: its status and its body (valid until the next call).</summary>
    public async Task<(int Status, ReadOnlyMemory<byte> Body)> PostAsync(byte[] body, CancellationToken ct)
    {
        var request = Request(body);
        try
        {
            if (_socket is null)
            {
                _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await _socket.ConnectAsync(address, ct);
                _start = _end = 0;
            }
            for (var sent = 0; sent < request.Length;)
                sent += await _socket.SendAsync(request[sent..], SocketFlags.None, ct);
            var (status, close) = await ReadResponseAsync(ct);
            if (close) Close();
            return (status, _body.AsMemory(0, _bodyLength));
        }
        catch
        {
            Close();
            throw;
        }
    }

    /// <summary>The prefix, the body's length, a blank line and the body, in the reused request buffer.</summary>
    private ReadOnlyMemory<byte> Request(byte[] body)
    {
        var length = requestPrefix.Length + 16 + body.Length;
        if (_request.Length < length) _request = new byte[length * 2];
        requestPrefix.CopyTo(_request, 0);
        var at = requestPrefix.Length;
        Utf8Formatter.TryFormat(body.Length, _request.AsSpan(at), out var written);
        at += written;
        "\r\n\r\n"u8.CopyTo(_request.AsSpan(at));
        at += 4;
        body.CopyTo(_request, at);
        return _request.AsMemory(0, at + body.Length);
    }

    private async Task<(int Status, bool Close)> ReadResponseAsync(CancellationToken ct)
    {
        // The status line and headers, up to the blank line.
        var headerEnd = await ReceiveThroughAsync(BlankLine, "The response headers are", ct);
        var head = Encoding.ASCII.GetString(_in, _start, headerEnd);
        _start += headerEnd + 4;
        var lines = head.Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(statusLine[1], out var status))
            throw new HttpRequestException($"Not an HTTP/1.x status line: {lines[0]}");
        long? contentLength = null;
        bool chunked = false, close = statusLine[0] == "HTTP/1.0";
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) throw new HttpRequestException($"Malformed header line: {line}");
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) contentLength = long.Parse(value);
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) close = value.Contains("close", StringComparison.OrdinalIgnoreCase);
        }

        _bodyLength = 0;
        if (chunked)
        {
            while (true)
            {
                var line = await ReadLineAsync(ct);
                var semicolon = line.IndexOf(';');
                var size = Convert.ToInt32(semicolon < 0 ? line : line[..semicolon], 16);
                if (size == 0)
                {
                    while ((await ReadLineAsync(ct)).Length > 0) { } // trailers, then the blank line
                    break;
                }
                await ReadBodyAsync(size, ct);
                if ((await ReadLineAsync(ct)).Length > 0) throw new HttpRequestException("A chunk is longer than its size.");
            }
        }
        else if (contentLength is { } length)
        {
            await ReadBodyAsync(checked((int)length), ct);
        }
        else
        {
            throw new HttpRequestException("A response with neither Content-Length nor chunked framing.");
        }
        return (status, close);
    }

    /// <summary>The next line (without CRLF), from the received bytes.</summary>
    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var end = await ReceiveThroughAsync(LineEnd, "A chunk line is", ct);
        var line = Encoding.ASCII.GetString(_in, _start, end);
        _start += end + 2;
        return line;
    }

    /// <summary>Receives until the unread bytes hold <paramref name="delimiter"/>: where it starts, from the first unread byte.</summary>
    private async Task<int> ReceiveThroughAsync(byte[] delimiter, string what, CancellationToken ct)
    {
        int at;
        while ((at = _in.AsSpan(_start, _end - _start).IndexOf(delimiter)) < 0)
        {
            if (_end - _start >= MaxHeaderBytes) throw new HttpRequestException($"{what} longer than {MaxHeaderBytes} bytes.");
            await FillAsync(ct);
        }
        return at;
    }

    /// <summary>Appends the next <paramref name="count"/> bytes of the stream to the body.</summary>
    private async Task ReadBodyAsync(int count, CancellationToken ct)
    {
        if (_body.Length < _bodyLength + count) Array.Resize(ref _body, Math.Max(_body.Length * 2, _bodyLength + count));
        while (count > 0)
        {
            if (_start == _end) await FillAsync(ct);
            var take = Math.Min(count, _end - _start);
            Buffer.BlockCopy(_in, _start, _body, _bodyLength, take);
            (_start, _bodyLength, count) = (_start + take, _bodyLength + take, count - take);
        }
    }

    /// <summary>Receives more bytes after those not yet read (moved to the front first).</summary>
    private async Task FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_in, _start, _in, 0, _end - _start);
            (_end, _start) = (_end - _start, 0);
        }
        var received = await _socket!.ReceiveAsync(_in.AsMemory(_end), SocketFlags.None, ct);
        if (received == 0) throw new HttpRequestException("The server closed the connection mid-response.");
        _end += received;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    public void Dispose() => Close();
}
