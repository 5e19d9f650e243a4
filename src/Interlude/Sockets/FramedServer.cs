using System.Net;
using System.Net.Sockets;
using Interlude.Sockets;

namespace Interlude;

/// <summary>
/// A TCP server for length-prefixed frames (4-byte big-endian length, then the payload) whose connections live on
/// the loops of a <see cref="LoopGroup"/>. Each frame runs the handler as a coroutine on its connection's loop;
/// frames of one connection are handled one at a time, in order.
/// </summary>
/// <remarks>
/// Connections are accepted through a <see cref="LoopListener"/>: on every loop by default, each served on the loop
/// that accepted it (see <see cref="LoopListenerOptions.AcceptOnEveryLoop"/>), where it stays. Limits (<see cref="FramedServerOptions"/>): a frame over the
/// size limit closes its connection, a connection beyond the connection limit is closed as soon as it is accepted,
/// a connection whose peer does not read stops being read, frames larger than the receive buffer share a memory
/// budget, and idle, slow or stalled connections are closed by the timeouts (see <see cref="FramedConnection"/>).
/// Every close is reported through <see cref="ConnectionClosed"/> with its <see cref="FramedCloseReason"/>; a peer
/// that goes away is an ordinary end, never a fault, and other connections are unaffected.
/// </remarks>
public sealed class FramedServer : IAsyncDisposable
{
    private readonly LoopGroup _group;
    private readonly LoopListener _listener;

    // One per loop, each created (published with a volatile write) and used by its own loop; other threads only read
    // the buffer statistics through it.
    private readonly FramedLoop?[] _loops;

    // Any loop: connections open now (incremented and decremented on each connection's loop).
    private int _connections;

    private FramedServer(LoopGroup group, Func<FramedConnection, ReadOnlyMemory<byte>, ValueTask> handler, FramedServerOptions options, LoopListener listener)
    {
        _group = group;
        _listener = listener;
        _loops = new FramedLoop?[group.Count];
        Handler = handler;
        Options = options;
        Timeouts = FramedTimeouts.From(options);
    }

    /// <summary>
    /// Raised on the connection's loop when a connection closes or is refused. Handlers must be quick: they run
    /// on a loop.
    /// </summary>
    public event EventHandler<FramedConnectionClosedEventArgs>? ConnectionClosed;

    /// <summary>The address the server listens on (with the actual port when port 0 was asked for).</summary>
    public IPEndPoint EndPoint => _listener.LocalEndPoint;

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    internal FramedServerOptions Options { get; }

    internal FramedTimeouts Timeouts { get; }

    internal Func<FramedConnection, ReadOnlyMemory<byte>, ValueTask> Handler { get; }

    /// <summary>Any thread: receive and send buffer bytes the server's connections hold now.</summary>
    internal long BufferBytes => Sum(static l => l.BufferBytes);

    /// <summary>Any thread: the sum over loops of the most buffer bytes each loop's connections held at once.</summary>
    internal long PeakBufferBytes => Sum(static l => l.PeakBufferBytes);

    /// <summary>Binds and starts accepting. Linux only (loop-owned sockets use epoll).</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    public static Task<FramedServer> StartAsync(
        LoopGroup group, Func<FramedConnection, ReadOnlyMemory<byte>, ValueTask> handler, FramedServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new FramedServerOptions();
        options.Validate();
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("FramedServer uses epoll, which only Linux has.");
        }

        LoopListener listener = LoopListener.Bind(
            group, options.EndPoint, new LoopListenerOptions { Backlog = options.Backlog, NoDelay = options.NoDelay, AcceptOnEveryLoop = options.AcceptOnEveryLoop });
        var server = new FramedServer(group, handler, options, listener);
        try
        {
            listener.Start(server.OnAccepted, server.OnAcceptFailed);
        }
        catch
        {
            listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return Task.FromResult(server);
    }

    /// <summary>Stops accepting; open connections stay until they close or the group stops.</summary>
    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    /// <summary>Connection's loop: a connection closed.</summary>
    internal void OnConnectionClosed(FramedConnection connection, FramedCloseReason reason, Exception? error)
    {
        Interlocked.Decrement(ref _connections);
        RaiseConnectionClosed(new FramedConnectionClosedEventArgs(connection, connection.RemoteEndPoint, reason, error));
    }

    /// <summary>Accepting loop: starts the connection on the loop it belongs to (the same one unless accepting on one loop).</summary>
    private void OnAccepted(LoopSocket socket)
        => socket.Loop.Spawn(static s => s.Server.RunConnectionAsync(s.Socket), (Server: this, Socket: socket));

    /// <summary>Accepting loop: a failed accept (out of descriptors, typically) is the group's fault to report.</summary>
    private void OnAcceptFailed(Loop loop, SocketException error) => _group.ReportFault(loop, error, FaultSource.Coroutine);

    /// <summary>Connection's loop: the connection's whole life.</summary>
    private async ValueTask RunConnectionAsync(LoopSocket socket)
    {
        if (Interlocked.Increment(ref _connections) > Options.MaxConnections)
        {
            Interlocked.Decrement(ref _connections);
            socket.Dispose();
            RaiseConnectionClosed(new FramedConnectionClosedEventArgs(
                null,
                socket.RemoteEndPoint,
                FramedCloseReason.ConnectionLimit,
                new InvalidOperationException(
                    $"The connection limit of {Options.MaxConnections} (FramedServerOptions.MaxConnections) was reached; the connection from {socket.RemoteEndPoint} was closed.")));
            return;
        }

        var connection = new FramedConnection(this, LoopState(socket.Loop), socket);
        await connection.RunAsync();
    }

    /// <summary>Loop thread: the server's state on <paramref name="loop"/>, created there on first use.</summary>
    private FramedLoop LoopState(Loop loop)
    {
        FramedLoop? state = _loops[loop.Index];
        if (state is null)
        {
            state = new FramedLoop(loop, Math.Max(1, Options.LargeFrameMemoryBudget / _group.Count), Timeouts);
            Volatile.Write(ref _loops[loop.Index], state);
        }

        return state;
    }

    private long Sum(Func<FramedLoop, long> statistic)
    {
        long total = 0;
        for (int i = 0; i < _loops.Length; i++)
        {
            if (Volatile.Read(ref _loops[i]) is { } state)
            {
                total += statistic(state);
            }
        }

        return total;
    }

    private void RaiseConnectionClosed(FramedConnectionClosedEventArgs args)
    {
        try
        {
            ConnectionClosed?.Invoke(this, args);
        }
        catch (Exception ex) when (Loop.Current is { } loop)
        {
            // A handler's failure must not unwind the connection's close (its buffers would not go back to the
            // pool) or surface in whichever send happened to close it: it is reported like any escaped callback.
            _group.ReportFault(loop, ex, FaultSource.WorkItem);
        }
    }
}
