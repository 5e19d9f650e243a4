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

    /// <summary>
    /// The receive buffer a connection takes from the pool when bytes arrive (and gives back between frames): frames
    /// up to this size (header included) are read into it; larger ones grow it with the bytes that actually arrive.
    /// </summary>
    /// <remarks>Defaults to 16 KiB. The pool hands out powers of two, so other sizes are rounded up.</remarks>
    public int ReceiveBufferSize { get; set; } = 16 * 1024;

    /// <summary>
    /// Receive-buffer memory all connections together may hold for frames larger than
    /// <see cref="ReceiveBufferSize"/>. Each such frame reserves its buffer size when its header arrives (its memory
    /// is still only taken as its bytes arrive) and gives it back once handled; a frame that does not fit waits, its
    /// connection not read, until earlier frames finish. Frames that fit the receive buffer never wait.
    /// </summary>
    /// <remarks>
    /// Defaults to 256 MiB. Split evenly over the group's loops; a loop with no large frame in progress always admits
    /// the next one, so a single frame larger than a loop's share still goes through. Buffers are counted at the size
    /// the pool hands out (the frame size rounded up to a power of two).
    /// </remarks>
    public long LargeFrameMemoryBudget { get; set; } = 256L * 1024 * 1024;

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
        if (ReceiveBufferSize < FramedConnection.HeaderSize)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveBufferSize), ReceiveBufferSize, "ReceiveBufferSize must hold at least a 4-byte frame header.");
        }

        if (LargeFrameMemoryBudget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(LargeFrameMemoryBudget), LargeFrameMemoryBudget, "LargeFrameMemoryBudget must be positive.");
        }

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
