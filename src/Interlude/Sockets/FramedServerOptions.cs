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
    /// <see cref="ReceiveBufferSize"/>. Such a frame reserves its buffer size once its bytes have filled the receive
    /// buffer (its memory is still only taken as more bytes arrive) and gives it back once handled; a frame that
    /// does not fit waits, its connection not read, until earlier frames finish. A header alone reserves nothing,
    /// and frames that fit the receive buffer never wait.
    /// </summary>
    /// <remarks>
    /// Defaults to 256 MiB. Split evenly over the group's loops; a loop with no large frame in progress always admits
    /// the next one, so a single frame larger than a loop's share still goes through. Buffers are counted at the size
    /// the pool hands out (the frame size rounded up to a power of two).
    /// </remarks>
    public long LargeFrameMemoryBudget { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// How long a connection may stay quiet between frames (nothing received, no frame being handled, nothing left
    /// to send) before it is closed, as Kestrel's keep-alive timeout closes an idle connection. A connection that
    /// connects and sends nothing is closed after this long too. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <remarks>Defaults to 2 minutes.</remarks>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a frame's 4-byte header may take to arrive, from its first byte; a connection whose header is still
    /// incomplete after this long is closed. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <remarks>Defaults to 10 seconds.</remarks>
    public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a whole frame may take to arrive, from its first byte to its last; a connection whose frame is still
    /// incomplete after this long is closed. Time the server itself spends not reading the connection (a handler
    /// running, replies backed up, a frame waiting for <see cref="LargeFrameMemoryBudget"/>) does not count.
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <remarks>Defaults to 60 seconds.</remarks>
    public TimeSpan FrameTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The slowest a peer may send a frame, or take the replies queued for it, in bytes per second averaged since the
    /// frame's first byte (or since the replies started waiting for the peer); after
    /// <see cref="MinDataRateGracePeriod"/> a connection below it is closed, as Kestrel's minimum data rates close
    /// slow clients. 0 turns it off.
    /// </summary>
    /// <remarks>Defaults to 240 bytes per second.</remarks>
    public double MinDataRate { get; set; } = 240;

    /// <summary>How long a frame or a backed-up reply may go before <see cref="MinDataRate"/> is enforced.</summary>
    /// <remarks>Defaults to 5 seconds.</remarks>
    public TimeSpan MinDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The listen backlog.</summary>
    /// <remarks>Defaults to 512.</remarks>
    public int Backlog { get; set; } = 512;

    /// <summary>Whether accepted sockets disable Nagle's algorithm (TCP_NODELAY).</summary>
    /// <remarks>Defaults to true.</remarks>
    public bool NoDelay { get; set; } = true;

    /// <summary>Whether every loop accepts connections (see <see cref="LoopListenerOptions.AcceptOnEveryLoop"/>).</summary>
    /// <remarks>Defaults to true.</remarks>
    public bool AcceptOnEveryLoop { get; set; } = true;

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
        Timeout(IdleTimeout, nameof(IdleTimeout));
        Timeout(HeaderTimeout, nameof(HeaderTimeout));
        Timeout(FrameTimeout, nameof(FrameTimeout));
        if (!(MinDataRate >= 0) || double.IsInfinity(MinDataRate))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDataRate), MinDataRate, "MinDataRate must be a non-negative number of bytes per second (0 turns it off).");
        }

        if (MinDataRateGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MinDataRateGracePeriod), MinDataRateGracePeriod, "MinDataRateGracePeriod must not be negative.");
        }

        if (MaxFrameSize > int.MaxValue - FramedConnection.HeaderSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, "MaxFrameSize leaves no room for the 4-byte header.");
        }
    }

    private static void Timeout(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero && value != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, or Timeout.InfiniteTimeSpan to turn it off.");
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
