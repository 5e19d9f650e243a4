using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A plain TCP client that writes HTTP/1.1 bytes as given and parses responses one by one, for what HttpClient
/// will not do: pipelining, malformed requests, abandoning a request half-sent.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket) => _socket = socket;

    public static async Task<RawHttpConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint).Guarded();
        return new RawHttpConnection(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent)).Guarded();
        }
    }

    /// <summary>Reads one response: status code, headers (lower-case names) and the body (Content-Length or chunked).</summary>
    public async Task<RawHttpResponse> ReadResponseAsync()
    {
        string statusLine = await ReadLineAsync();
        int status = int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string line;
        while ((line = await ReadLineAsync()).Length > 0)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = new MemoryStream();
        if (headers.TryGetValue("Transfer-Encoding", out string? encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                int size = int.Parse((await ReadLineAsync()).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while ((await ReadLineAsync()).Length > 0)
                    {
                    }

                    break;
                }

                await ReadBodyAsync(body, size);
                await ReadLineAsync();
            }
        }
        else if (headers.TryGetValue("Content-Length", out string? length))
        {
            await ReadBodyAsync(body, int.Parse(length, CultureInfo.InvariantCulture));
        }

        return new RawHttpResponse(status, headers, body.ToArray());
    }

    /// <summary>Reads at least <paramref name="count"/> raw bytes of whatever the server sends.</summary>
    public async Task ReadAtLeastAsync(int count)
    {
        int read = _end - _start;
        _start = _end;
        while (read < count)
        {
            await FillAsync();
            read += _end - _start;
            _start = _end;
        }
    }

    /// <summary>Whether the server closed the connection: the next read finds end of stream.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        if (_start < _end)
        {
            return false;
        }

        try
        {
            return await _socket.ReceiveAsync(_buffer.AsMemory()).Guarded() == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Drops the connection with a reset rather than a FIN.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();

    private async Task<string> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            byte b = _buffer[_start++];
            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)b);
        }
    }

    private async Task ReadBodyAsync(MemoryStream body, int count)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            int n = Math.Min(count, _end - _start);
            body.Write(_buffer, _start, n);
            _start += n;
            count -= n;
        }
    }

    private async Task FillAsync()
    {
        _start = 0;
        _end = await _socket.ReceiveAsync(_buffer.AsMemory()).Guarded();
        if (_end == 0)
        {
            throw new IOException("The server closed the connection in the middle of a response.");
        }
    }
}
