using System.Net;

namespace Interlude;

/// <summary>Configuration of a <see cref="FramedServer"/>.</summary>
public sealed class FramedServerOptions
{
    /// <summary>Where to listen; port 0 picks a free port (read it from <see cref="FramedServer.EndPoint"/>).</summary>
    /// <remarks>Defaults to 127.0.0.1, port 0.</remarks>
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>The largest frame payload accepted; a connection that announces a larger one is closed.</summary>
    /// <remarks>Defaults to 1 MiB.</remarks>
    public int MaxFrameSize { get; set; } = 1024 * 1024;

    /// <summary>Connections open at once; a connection accepted beyond this is closed at once.</summary>
    /// <remarks>Defaults to 10,000.</remarks>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>
    /// Unsent response bytes per connection beyond which the connection stops reading requests and
    /// <see cref="FramedConnection.SendAsync"/> waits, until the peer has taken half of them.
    /// </summary>
    /// <remarks>Defaults to 1 MiB.</remarks>
    public int MaxPendingSendBytes { get; set; } = 1024 * 1024;

    /// <summary>Bytes read from a connection at a time (larger frames grow the buffer up to the frame size).</summary>
    /// <remarks>Defaults to 16 KiB.</remarks>
    public int ReceiveBufferSize { get; set; } = 16 * 1024;

    /// <summary>The listen backlog.</summary>
    /// <remarks>Defaults to 512.</remarks>
    public int Backlog { get; set; } = 512;

    /// <summary>Whether accepted sockets disable Nagle's algorithm (TCP_NODELAY).</summary>
    /// <remarks>Defaults to true.</remarks>
    public bool NoDelay { get; set; } = true;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(EndPoint, nameof(EndPoint));
        Positive(MaxFrameSize, nameof(MaxFrameSize));
        Positive(MaxConnections, nameof(MaxConnections));
        Positive(MaxPendingSendBytes, nameof(MaxPendingSendBytes));
        Positive(ReceiveBufferSize, nameof(ReceiveBufferSize));
        Positive(Backlog, nameof(Backlog));
        if (MaxFrameSize > int.MaxValue - FramedConnection.HeaderSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, "MaxFrameSize leaves no room for the 4-byte header.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}
