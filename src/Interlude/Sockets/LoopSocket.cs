using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Interlude.Loops;
using Interlude.Native;
using Interlude.Sockets;

namespace Interlude;

/// <summary>
/// A connected TCP socket owned by one loop: its reads, writes and waits run on that loop's thread, and a
/// coroutine waiting on it is resumed there, inline, when the loop's epoll instance reports readiness. Made by
/// <see cref="LoopListener.AcceptAsync"/> or <see cref="ConnectAsync"/>. Linux only.
/// </summary>
/// <remarks>
/// <para>
/// Thread rules: every member except <see cref="Loop"/>, <see cref="LocalEndPoint"/>, <see cref="RemoteEndPoint"/>
/// and <see cref="Dispose"/> is called on the owning loop (<see cref="Loop"/>) and throws
/// <see cref="InvalidOperationException"/> elsewhere. At most one receive and one send may wait at a time (a
/// receiving coroutine and a sending one).
/// </para>
/// <para>
/// Readiness: the socket keeps a "read ready" and a "write ready" flag, set by the loop's epoll events
/// (edge-triggered) and cleared when a receive comes back short or finds nothing, or a send finds the kernel's
/// buffer full. A ready socket costs no epoll call at all, and a request/response exchange costs one recv and one
/// send. Once the peer's FIN (or an error) has been reported, reads stay ready.
/// </para>
/// <para>
/// Errors: a failed receive or send throws <see cref="SocketException"/> (<see cref="SocketError.ConnectionReset"/>
/// when the peer reset the connection, <see cref="SocketError.Shutdown"/> for a send to a peer that has gone);
/// use of a closed socket throws <see cref="ObjectDisposedException"/>, and a wait pending when the socket closes
/// fails with it.
/// </para>
/// </remarks>
public sealed partial class LoopSocket : IDisposable, IEpollTarget
{
    private const uint Interest = LinuxSockets.EpollIn | LinuxSockets.EpollOut | LinuxSockets.EpollRdHup | LinuxSockets.EpollEt;

    private static readonly Action<object?> s_closeOnLoop = static s => ((LoopSocket)s!).Close();

    private readonly Loop _loop;
    private readonly ReadinessWait _readWait;
    private readonly ReadinessWait _writeWait;

    // Owner only: the loop's poller and this socket's registration, made on first use on the loop.
    private EpollPoller? _poller;
    private ulong _token;

    // Written by the owner (-1 once closed); other threads read it only as a hint (IsClosed, Dispose).
    private int _fd;

    // Owner only. Both flags start set: a new connection usually has room to send and often has its first bytes
    // waiting, and a call that finds otherwise clears the flag and waits for the edge.
    private bool _readReady = true;
    private bool _writeReady = true;
    private bool _noDelay;

    // Owner only: set once the peer's FIN, a hang-up or an error was reported. recv then never blocks again, so
    // a short read must not clear _readReady (the end-of-stream edge may already have been consumed with the data).
    private bool _readEnded;

    internal LoopSocket(Loop loop, int fd, IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint, bool noDelay)
    {
        _loop = loop;
        _fd = fd;
        _noDelay = noDelay;
        _readWait = new ReadinessWait(loop);
        _writeWait = new ReadinessWait(loop);
        LocalEndPoint = localEndPoint;
        RemoteEndPoint = remoteEndPoint;
    }

    /// <summary>The loop that owns the socket: the only thread that may use it.</summary>
    public Loop Loop => _loop;

    /// <summary>This side's address; null if it could not be read. Any thread.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>The peer's address; null if it could not be read. Any thread.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>Whether the socket has been closed. Exact on the owning loop, a hint elsewhere.</summary>
    public bool IsClosed => Volatile.Read(ref _fd) < 0;

    /// <summary>Whether Nagle's algorithm is disabled (TCP_NODELAY). Owning loop only.</summary>
    /// <remarks>
    /// Accepted sockets start with <see cref="LoopListenerOptions.NoDelay"/>; connected ones with true.
    /// </remarks>
    public bool NoDelay
    {
        get
        {
            EnterOwner();
            return _noDelay;
        }

        set
        {
            EnterOwner();
            ObjectDisposedException.ThrowIf(_fd < 0, this);
            SetNoDelay(_fd, value);
            _noDelay = value;
        }
    }

    /// <summary>
    /// Connects to <paramref name="remoteEndPoint"/> without blocking the loop. Called on a loop thread; the socket
    /// belongs to that loop.
    /// </summary>
    /// <param name="remoteEndPoint">An IPv4 or IPv6 address and port.</param>
    /// <param name="cancellationToken">Abandons the attempt (the socket is closed).</param>
    /// <exception cref="InvalidOperationException">Not called on a loop thread.</exception>
    /// <exception cref="ArgumentException"><paramref name="remoteEndPoint"/> is neither IPv4 nor IPv6.</exception>
    /// <exception cref="SocketException">The connection failed (refused, unreachable, timed out).</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static async ValueTask<LoopSocket> ConnectAsync(IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        Loop loop = Loop.Current ?? throw new InvalidOperationException(
            "LoopSocket.ConnectAsync is called on a loop thread (from a coroutine): the socket belongs to the loop that connects it.");
        if (!EpollPoller.IsSupported)
        {
            throw new PlatformNotSupportedException("Loop-owned sockets use epoll, which only Linux has.");
        }

        LoopSocket socket = StartConnect(loop, remoteEndPoint);
        try
        {
            await socket.WaitWritableAsync(cancellationToken);
            int error = socket.PendingError();
            if (error != 0)
            {
                throw SocketErrors.FromErrno(error);
            }

            socket.LocalEndPoint = SocketAddresses.Read(socket._fd, peer: false);
            return socket;
        }
        catch
        {
            socket.Close();
            throw;
        }
    }

    /// <summary>Completes when a receive may find data, the end of the stream or an error; at once if it may now.</summary>
    /// <param name="cancellationToken">Fails the wait with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="InvalidOperationException">Off the owning loop, or another receive is already waiting.</exception>
    public ValueTask WaitReadableAsync(CancellationToken cancellationToken = default)
    {
        EnterOwner();
        return _readReady || _fd < 0 ? default : _readWait.Arm(cancellationToken);
    }

    /// <summary>Completes when a send may make progress; at once if it may now.</summary>
    /// <param name="cancellationToken">Fails the wait with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="InvalidOperationException">Off the owning loop, or another send is already waiting.</exception>
    public ValueTask WaitWritableAsync(CancellationToken cancellationToken = default)
    {
        EnterOwner();
        return _writeReady || _fd < 0 ? default : _writeWait.Arm(cancellationToken);
    }

    /// <summary>
    /// One receive without waiting. Returns false when nothing has arrived (wait with
    /// <see cref="WaitReadableAsync"/>); true with the bytes read, 0 meaning the peer has finished sending.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> is empty.</exception>
    /// <exception cref="SocketException">The connection failed (reset by the peer, for example).</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public bool TryReceive(Span<byte> buffer, out int bytesReceived)
    {
        EnterOwner();
        int n = Receive(buffer);
        bytesReceived = Math.Max(n, 0);
        return n >= 0;
    }

    /// <summary>Receives at least one byte, waiting as long as it takes; 0 when the peer has finished sending.</summary>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> is empty.</exception>
    /// <exception cref="SocketException">The connection failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            await WaitReadableAsync(cancellationToken);
            int n = Receive(buffer.Span);
            if (n >= 0)
            {
                return n;
            }
        }
    }

    /// <summary>
    /// Stops sending (<see cref="SocketShutdown.Send"/>: the peer reads the end of the stream), receiving, or
    /// both. A wait pending on the socket wakes on the resulting events. Errors are ignored: a connection the
    /// peer has already closed needs no shutdown.
    /// </summary>
    /// <exception cref="InvalidOperationException">Off the owning loop.</exception>
    public void Shutdown(SocketShutdown how)
    {
        EnterOwner();
        if (_fd >= 0)
        {
            LinuxSockets.shutdown(_fd, how switch
            {
                SocketShutdown.Receive => 0,
                SocketShutdown.Send => LinuxSockets.ShutWr,
                _ => LinuxSockets.ShutRdWr,
            });
        }
    }

    /// <summary>
    /// Closes the socket; waits pending on it fail with <see cref="ObjectDisposedException"/>. Any thread: off the
    /// owning loop the close is posted to the loop.
    /// </summary>
    public void Dispose()
    {
        if (_loop.IsCurrent)
        {
            Close();
        }
        else if (Volatile.Read(ref _fd) >= 0)
        {
            _loop.Schedule(s_closeOnLoop, this);
        }
    }

    /// <summary>
    /// Owner only. One recv: the bytes read, 0 at end of stream, or -1 when nothing is there yet. The caller has
    /// checked the thread.
    /// </summary>
    internal unsafe int Receive(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("The buffer is empty: a receive of no bytes would read as the end of the stream.", nameof(buffer));
        }

        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = LinuxSockets.recv(_fd, p, buffer.Length, 0);
            }

            if (n >= 0)
            {
                if (n < buffer.Length && n > 0 && !_readEnded)
                {
                    _readReady = false;
                }

                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == LinuxSockets.EINTR)
            {
                continue;
            }

            if (errno == LinuxSockets.EAGAIN)
            {
                _readReady = _readEnded;
                return -1;
            }

            throw SocketErrors.FromErrno(errno);
        }
    }

    /// <summary>Owner only: closes the descriptor and fails pending waits.</summary>
    internal void Close()
    {
        if (_fd < 0)
        {
            return;
        }

        int fd = _fd;
        Volatile.Write(ref _fd, -1);
        _poller?.Unregister(_token);
        LinuxSockets.close(fd);
        _readWait.Fail(new ObjectDisposedException(nameof(LoopSocket)));
        _writeWait.Fail(new ObjectDisposedException(nameof(LoopSocket)));
    }

    /// <summary>Any thread, on a descriptor nobody else uses yet: sets TCP_NODELAY.</summary>
    internal static unsafe void SetNoDelay(int fd, bool enabled)
    {
        int value = enabled ? 1 : 0;
        LinuxSockets.setsockopt(fd, LinuxSockets.IpProtoTcp, LinuxSockets.TcpNoDelay, &value, sizeof(int));
    }

    void IEpollTarget.OnEvents(uint events)
    {
        if ((events & (LinuxSockets.EpollRdHup | LinuxSockets.EpollHup | LinuxSockets.EpollErr)) != 0)
        {
            _readEnded = true;
        }

        if ((events & (LinuxSockets.EpollIn | LinuxSockets.EpollRdHup | LinuxSockets.EpollHup | LinuxSockets.EpollErr)) != 0)
        {
            _readReady = true;
            _readWait.Complete();
        }

        if ((events & (LinuxSockets.EpollOut | LinuxSockets.EpollHup | LinuxSockets.EpollErr)) != 0)
        {
            _writeReady = true;
            _writeWait.Complete();
        }
    }

    int IEpollTarget.CancelWaits(CancellationToken token)
    {
        int cancelled = _readWait.Fail(new OperationCanceledException(token)) ? 1 : 0;
        return cancelled + (_writeWait.Fail(new OperationCanceledException(token)) ? 1 : 0);
    }

    void IEpollTarget.OnLoopExit() => Close();

    /// <summary>Loop thread: a non-blocking socket with its connect started (usually still in progress).</summary>
    private static unsafe LoopSocket StartConnect(Loop loop, IPEndPoint remoteEndPoint)
    {
        byte* address = stackalloc byte[SocketAddresses.MaxSize];
        int length = SocketAddresses.Write(remoteEndPoint, new Span<byte>(address, SocketAddresses.MaxSize), out int family);
        int fd = LinuxSockets.socket(family, LinuxSockets.SockStream | LinuxSockets.SockNonblock | LinuxSockets.SockCloexec, LinuxSockets.IpProtoTcp);
        if (fd < 0)
        {
            throw SocketErrors.FromErrno(Marshal.GetLastPInvokeError());
        }

        SetNoDelay(fd, true);
        var socket = new LoopSocket(loop, fd, null, remoteEndPoint, noDelay: true);
        while (LinuxSockets.connect(fd, address, (uint)length) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == LinuxSockets.EINTR)
            {
                continue;
            }

            if (errno == LinuxSockets.EINPROGRESS)
            {
                // Writable once connected (or failed): wait for the epoll edge rather than assume.
                socket._writeReady = false;
                socket._readReady = false;
                break;
            }

            socket.Close();
            throw SocketErrors.FromErrno(errno);
        }

        return socket;
    }

    /// <summary>Owner only: SO_ERROR, the outcome of a non-blocking connect (0 when it succeeded).</summary>
    private unsafe int PendingError()
    {
        int error = 0;
        uint length = sizeof(int);
        return LinuxSockets.getsockopt(_fd, LinuxSockets.SolSocket, LinuxSockets.SoError, &error, &length) == 0
            ? error
            : Marshal.GetLastPInvokeError();
    }

    /// <summary>Checks the thread, and registers with the loop's epoll set on first use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnterOwner()
    {
        if (_poller is null || !_loop.IsCurrent)
        {
            EnterOwnerSlow();
        }
    }

    private void EnterOwnerSlow()
    {
        if (!_loop.IsCurrent)
        {
            throw new InvalidOperationException(
                $"A LoopSocket is used only on the loop that owns it (loop {_loop.Index}); the calling thread is not that loop's.");
        }

        if (_poller is null && _fd >= 0)
        {
            EpollPoller poller = LoopIo.PollerFor(_loop);
            _token = poller.Register(_fd, this, Interest);
            _poller = poller;
        }
    }
}
