using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Interlude.Harness.Tls;

/// <summary>
/// The benchmark's own blocking TLS client, for the keep-alive probe and the handshake sampler: a new socket and a
/// new <see cref="SslStream"/> per connection with resumption off, so every connection is a full handshake, and
/// HTTP/1.1 requests read back by Content-Length. Everything runs on the calling thread.
/// </summary>
public static class TlsClient
{
    private static readonly byte[] s_headerEnd = "\r\n\r\n"u8.ToArray();

    /// <summary>The request line and headers of a GET for <paramref name="url"/>'s path, kept alive.</summary>
    public static byte[] Request(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\n\r\n");
    }

    /// <summary>Connects to <paramref name="url"/> and completes a full TLS handshake; the certificate is not checked.</summary>
    public static SslStream Connect(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(url.Host, url.Port);
            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            try
            {
                ssl.AuthenticateAsClient(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    AllowTlsResume = false,
                    RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                });
                return ssl;
            }
            catch
            {
                ssl.Dispose();
                throw;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads one response whole into <paramref name="buffer"/>; returns its
    /// status code. Throws <see cref="IOException"/> when the connection closes first.
    /// </summary>
    public static int Exchange(SslStream stream, byte[] request, byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(buffer);
        stream.Write(request);
        stream.Flush();
        int filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf(s_headerEnd)) < 0)
        {
            filled += ReadSome(stream, buffer, filled);
        }

        int bodyStart = headerEnd + s_headerEnd.Length;
        (int status, int length) = ParseHead(buffer.AsSpan(0, headerEnd));
        if (bodyStart + length > buffer.Length)
        {
            throw new InvalidDataException($"The response's body ({length} bytes) does not fit the probe's buffer.");
        }

        while (filled < bodyStart + length)
        {
            filled += ReadSome(stream, buffer, filled);
        }

        return status;
    }

    /// <summary>The status code and Content-Length of a response head (without its blank line).</summary>
    public static (int Status, int ContentLength) ParseHead(ReadOnlySpan<byte> head)
    {
        string text = Encoding.ASCII.GetString(head);
        string[] lines = text.Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            throw new InvalidDataException($"Not an HTTP response: '{lines[0]}'.");
        }

        foreach (string line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                return (status, int.Parse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidDataException("The response has no Content-Length; the probe reads only fixed-length bodies.");
    }

    private static int ReadSome(SslStream stream, byte[] buffer, int offset)
    {
        if (offset == buffer.Length)
        {
            throw new InvalidDataException("The response's head does not fit the probe's buffer.");
        }

        int read = stream.Read(buffer, offset, buffer.Length - offset);
        return read > 0 ? read : throw new IOException("The server closed the connection in the middle of a response.");
    }
}
