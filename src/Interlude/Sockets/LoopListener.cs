using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Interlude.Sockets;

namespace Interlude;

/// <summary>
/// A TCP listening socket whose connections are spread over the loops of a <see cref="LoopGroup"/>; each connection
/// belongs to one loop for its whole life. Linux only.
/// </summary>
/// <remarks>
/// <para>
/// By default every loop accepts (<see cref="LoopListenerOptions.AcceptOnEveryLoop"/>): each loop has its own
/// listening socket on the same port (SO_REUSEPORT), the kernel spreads new connections over them, and a
/// connection belongs to the loop that accepted it, with no hand-over between threads. A stalled loop therefore
/// delays only the connections queued on its own socket, and accepting is never a single loop's job. Where the
/// kernel refuses SO_REUSEPORT, or with <see cref="LoopListenerOptions.AcceptOnEveryLoop"/> off, one socket accepts
/// on the group's first loop and gives each connection to the next loop in round-robin order
/// (<see cref="AcceptsOnEveryLoop"/> says which).
/// </para>
/// <para>
/// SO_REUSEPORT rather than one socket every loop waits on (EPOLLEXCLUSIVE): the kernel hashes each connection's
/// addresses and ports to a socket, which spreads long-lived connections evenly, while EPOLLEXCLUSIVE wakes the
/// first waiting loop, so on an idle server one loop takes nearly every connection and keeps them.
/// </para>
/// <para>
/// The accept coroutines start with the first <see cref="AcceptAsync"/> and queue what they accept until it is
/// taken; connections still queued when the listener is disposed are closed.
/// </para>
/// </remarks>
public sealed class LoopListener : IAsyncDisposable
{
    private readonly LoopGroup _group;
    private readonly LoopAcceptor[] _acceptors;
    private readonly bool _noDelay;

    // Written by the accept coroutines (any loop), read by AcceptAsync (any thread): accepted connections and
    // accept errors, in the order they happened on each loop.
    private readonly Channel<Accepted> _accepted = Channel.CreateUnbounded<Accepted>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    // Written once (Interlocked) by the first AcceptAsync or Start; read by DisposeAsync.
    private int _started;

    // Set by the AcceptAsync that waits, cleared as it returns (any thread): one accept at a time.
    private int _accepting;

    // Any thread: accept coroutines still running; the last one to end completes the queue.
    private int _running;

    // Written once (Interlocked) by DisposeAsync; read by the accept coroutines as they end.
    private int _disposed;

    // Only when not accepting on every loop: the round-robin position, touched only by the first loop.
    private int _next;

    // Set once by Start, before the accept coroutines run; read by them.
    private Action<LoopSocket>? _onAccepted;
    private Action<Loop, SocketException>? _onFailed;

    private LoopListener(LoopGroup group, Socket[] sockets, LoopListenerOptions options)
    {
        _group = group;
        _noDelay = options.NoDelay;
        RetryDelay = options.AcceptRetryDelay;
        _acceptors = new LoopAcceptor[sockets.Length];
        for (int i = 0; i < sockets.Length; i++)
        {
            _acceptors[i] = new LoopAcceptor(this, group[i], sockets[i]);
        }

        LocalEndPoint = (IPEndPoint)sockets[0].LocalEndPoint!;
    }

    /// <summary>The address the listener is bound to, with the actual port when port 0 was asked for.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The loops accepted connections are given to.</summary>
    public LoopGroup Group => _group;

    /// <summary>The group's first loop: the one that accepts when <see cref="AcceptsOnEveryLoop"/> is false.</summary>
    public Loop Loop => _group[0];

    /// <summary>
    /// Whether every loop of the group accepts on its own socket; false when one loop accepts for all (asked for,
    /// a group of one loop, or no SO_REUSEPORT).
    /// </summary>
    public bool AcceptsOnEveryLoop => _acceptors.Length > 1;

    /// <summary>How long an acceptor waits after a failed accept.</summary>
    internal TimeSpan RetryDelay { get; }

    /// <summary>
    /// Binds the listening socket(s) to <paramref name="endPoint"/> (port 0 picks a free port, the same for every
    /// loop: read it from <see cref="LocalEndPoint"/>); an IPv6 any-address also accepts IPv4. Any thread.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    /// <exception cref="SocketException">
    /// The address cannot be bound: <see cref="SocketError.AddressAlreadyInUse"/> with a message naming the address
    /// when someone else listens there.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static LoopListener Bind(LoopGroup group, IPEndPoint endPoint, LoopListenerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(endPoint);
        options ??= new LoopListenerOptions();
        options.Validate();
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Loop-owned sockets use epoll, which only Linux has.");
        }

        int count = options.AcceptOnEveryLoop ? group.Count : 1;
        return new LoopListener(group, ListenerSockets.Bind(endPoint, count, options.Backlog), options);
    }

    /// <summary>
    /// The next connection, waiting as long as it takes. The socket already belongs to its loop
    /// (<see cref="LoopSocket.Loop"/>) and is used there: hand it to a coroutine on that loop. Any thread; one
    /// accept at a time.
    /// </summary>
    /// <remarks>
    /// A failed accept (out of file descriptors, typically) throws its <see cref="SocketException"/>; the listener
    /// stays usable, and the loop that failed waits <see cref="LoopListenerOptions.AcceptRetryDelay"/> before it
    /// tries again, so a caller that reports the error and calls again does not spin. Connections reset before
    /// they were accepted are skipped.
    /// </remarks>
    /// <exception cref="SocketException">An accept failed; the listener stays usable.</exception>
    /// <exception cref="ObjectDisposedException">The listener was disposed.</exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled, or the group stopped.
    /// </exception>
    /// <exception cref="InvalidOperationException">Another accept is already waiting.</exception>
    public async ValueTask<LoopSocket> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _accepting, 1) != 0)
        {
            throw new InvalidOperationException("Another accept is already waiting on this listener.");
        }

        Accepted next;
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            EnsureStarted(null, null);
            next = await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(LoopListener));
            }

            throw new OperationCanceledException("The listener's loop group stopped.");
        }
        finally
        {
            Volatile.Write(ref _accepting, 0);
        }

        return next.Socket ?? throw next.Error!;
    }

    /// <summary>Stops listening on every loop; a pending accept fails with <see cref="ObjectDisposedException"/>. Any thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _started) == 0)
        {
            // No accept coroutine ever ran: nothing is registered with a loop.
            foreach (LoopAcceptor acceptor in _acceptors)
            {
                acceptor.Release();
            }

            _accepted.Writer.TryComplete();
        }
        else
        {
            foreach (LoopAcceptor acceptor in _acceptors)
            {
                await CloseOnLoopAsync(acceptor).ConfigureAwait(false);
            }
        }

        // Every acceptor is closed (or its loop is exiting): the queue takes no more, a waiting accept ends, and the
        // connections accepted and never taken are closed, so none is left open with nobody serving it.
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out Accepted left))
        {
            left.Socket?.Dispose();
        }
    }

    /// <summary>
    /// Starts the accept coroutines, which hand each connection to <paramref name="onAccepted"/> on its own loop
    /// instead of queueing it for <see cref="AcceptAsync"/>; <paramref name="onFailed"/> hears of failed accepts, on
    /// the loop that failed. Once, and not with <see cref="AcceptAsync"/>.
    /// </summary>
    internal void Start(Action<LoopSocket> onAccepted, Action<Loop, SocketException> onFailed)
    {
        if (!EnsureStarted(onAccepted, onFailed))
        {
            throw new InvalidOperationException("The listener is already accepting.");
        }
    }

    /// <summary>Any thread: connections each loop's socket has accepted, indexed by loop (diagnostics and tests).</summary>
    internal long[] AcceptedPerLoop()
    {
        long[] counts = new long[_group.Count];
        foreach (LoopAcceptor acceptor in _acceptors)
        {
            counts[acceptor.Loop.Index] += acceptor.Accepted;
        }

        return counts;
    }

    /// <summary>An acceptor's loop: a new connection, placed and handed on.</summary>
    internal void OnAccepted(LoopAcceptor acceptor, int fd, IPEndPoint? remote)
    {
        if (_noDelay)
        {
            LoopSocket.SetNoDelay(fd, true);
        }

        Loop target = acceptor.Loop;
        if (_acceptors.Length == 1 && _group.Count > 1)
        {
            target = _group[_next];
            _next = _next + 1 == _group.Count ? 0 : _next + 1;
        }

        var socket = new LoopSocket(target, fd, SocketAddresses.Read(fd, peer: false), remote, _noDelay);
        if (_onAccepted is { } handler)
        {
            handler(socket);
        }
        else if (!_accepted.Writer.TryWrite(new Accepted(socket, null)))
        {
            socket.Dispose();
        }
    }

    /// <summary>An acceptor's loop: an accept failed.</summary>
    internal void OnAcceptFailed(LoopAcceptor acceptor, SocketException error)
    {
        if (_onFailed is { } handler)
        {
            handler(acceptor.Loop, error);
        }
        else
        {
            _accepted.Writer.TryWrite(new Accepted(null, error));
        }
    }

    /// <summary>An acceptor's loop: it closed (disposed, or its loop stopped); the last to close ends the queue.</summary>
    internal void OnAcceptorEnded()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _accepted.Writer.TryComplete();
        }
    }

    private bool EnsureStarted(Action<LoopSocket>? onAccepted, Action<Loop, SocketException>? onFailed)
    {
        if (Volatile.Read(ref _started) != 0 || Interlocked.CompareExchange(ref _started, 1, 0) != 0)
        {
            return false;
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _onAccepted = onAccepted;
        _onFailed = onFailed;
        _running = _acceptors.Length;
        foreach (LoopAcceptor acceptor in _acceptors)
        {
            try
            {
                acceptor.Loop.Spawn(static a => a.RunAsync(), acceptor);
            }
            catch (InvalidOperationException)
            {
                // The group is stopping and takes no more work: this socket will never be served.
                acceptor.Release();
                OnAcceptorEnded();
            }
        }

        return true;
    }

    private static async ValueTask CloseOnLoopAsync(LoopAcceptor acceptor)
    {
        if (acceptor.Loop.IsCurrent)
        {
            acceptor.Close();
            return;
        }

        try
        {
            await acceptor.Loop.RunAsync(() =>
            {
                acceptor.Close();
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The group is stopping: the loop closes its acceptor as it exits.
        }
    }

    /// <summary>One result of an accept coroutine: a connection, or the error of a failed accept.</summary>
    private readonly record struct Accepted(LoopSocket? Socket, SocketException? Error);
}
