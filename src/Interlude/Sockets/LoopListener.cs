using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Interlude.Loops;
using Interlude.Native;
using Interlude.Sockets;

namespace Interlude;

/// <summary>
/// A TCP listening socket whose connections are spread over the loops of a <see cref="LoopGroup"/>: each accepted
/// connection is given to the next loop in round-robin order and belongs to it for its whole life. Linux only.
/// </summary>
/// <remarks>
/// <para>
/// Accepting runs on the group's first loop (<see cref="Loop"/>): the listening descriptor is in that loop's
/// epoll set, and accept4 (non-blocking, close-on-exec) is called there until the kernel's queue is empty.
/// <see cref="AcceptAsync"/> may be called from any thread, and cheapest from that loop; one accept at a time.
/// The bind itself goes through <see cref="Socket"/>, which handles address families and errors.
/// </para>
/// <para>
/// Round robin rather than SO_REUSEPORT: it spreads a handful of connections evenly, where SO_REUSEPORT hashes
/// the address and port pair and may put two connections on one loop.
/// </para>
/// </remarks>
public sealed class LoopListener : IAsyncDisposable, IEpollTarget
{
    private const uint Interest = LinuxSockets.EpollIn | LinuxSockets.EpollEt;

    private readonly LoopGroup _group;
    private readonly Loop _loop;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly bool _noDelay;
    private readonly long _retryDelayTicks;
    private readonly ReadinessWait _wait;

    // Accepting loop only: the registration (made on the first accept), readiness, round-robin position, and
    // the time before which no accept is tried after one failed.
    private EpollPoller? _poller;
    private ulong _token;
    private bool _ready = true;
    private bool _closed;
    private int _next;
    private long _retryAt;

    // Written by the accepting loop when it registers the listener; read by DisposeAsync on any thread to know
    // whether the loop will release the socket as it exits.
    private volatile bool _registered;

    private LoopListener(LoopGroup group, Socket socket, LoopListenerOptions options)
    {
        _group = group;
        _loop = group[0];
        _socket = socket;
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _noDelay = options.NoDelay;
        _retryDelayTicks = (long)(options.AcceptRetryDelay.TotalSeconds * Stopwatch.Frequency);
        _wait = new ReadinessWait(_loop);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The address the listener is bound to, with the actual port when port 0 was asked for.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The loops accepted connections are given to.</summary>
    public LoopGroup Group => _group;

    /// <summary>The loop that accepts: the group's first.</summary>
    public Loop Loop => _loop;

    /// <summary>
    /// Binds a listening socket to <paramref name="endPoint"/> (port 0 picks a free port: read it from
    /// <see cref="LocalEndPoint"/>); an IPv6 any-address also accepts IPv4. Any thread.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local).</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static LoopListener Bind(LoopGroup group, IPEndPoint endPoint, LoopListenerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(endPoint);
        options ??= new LoopListenerOptions();
        options.Validate();
        if (!EpollPoller.IsSupported)
        {
            throw new PlatformNotSupportedException("Loop-owned sockets use epoll, which only Linux has.");
        }

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(options.Backlog);
            socket.Blocking = false;
            return new LoopListener(group, socket, options);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next connection, waiting as long as it takes. The socket already belongs to the next loop of the group
    /// in round-robin order (<see cref="LoopSocket.Loop"/>) and is used there: hand it to a coroutine on that loop.
    /// </summary>
    /// <remarks>
    /// A failed accept (out of file descriptors, typically) throws its <see cref="SocketException"/>; the listener
    /// stays usable, and the next accept waits <see cref="LoopListenerOptions.AcceptRetryDelay"/> first, so a
    /// caller that reports the error and calls again does not spin. Connections reset before they were accepted
    /// are skipped.
    /// </remarks>
    /// <exception cref="SocketException">An accept failed; the listener stays usable.</exception>
    /// <exception cref="ObjectDisposedException">The listener was disposed, or its group has stopped.</exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled, or the group stopping cancelled the wait.
    /// </exception>
    /// <exception cref="InvalidOperationException">Another accept is already waiting.</exception>
    public ValueTask<LoopSocket> AcceptAsync(CancellationToken cancellationToken = default)
        => _loop.IsCurrent ? AcceptOnLoopAsync(cancellationToken) : new ValueTask<LoopSocket>(AcceptElsewhereAsync(cancellationToken));

    /// <summary>Stops listening; a pending accept fails with <see cref="ObjectDisposedException"/>. Any thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_loop.IsCurrent)
        {
            Close();
            return;
        }

        try
        {
            await _loop.RunAsync(() =>
            {
                Close();
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The group is stopping and takes no more work from outside. A registered listener is closed by its
            // loop as the loop exits; one that never accepted is released here.
            if (!_registered)
            {
                _socket.Dispose();
            }
        }
    }

    void IEpollTarget.OnEvents(uint events)
    {
        _ready = true;
        _wait.Complete();
    }

    int IEpollTarget.CancelWaits(CancellationToken token) => _wait.Fail(new OperationCanceledException(token)) ? 1 : 0;

    void IEpollTarget.OnLoopExit() => Close();

    /// <summary>
    /// Off the accepting loop: the accept runs there as a coroutine. Its failure travels back as a value, so a
    /// failed or abandoned accept is the caller's to handle, not reported as a loop fault.
    /// </summary>
    private async Task<LoopSocket> AcceptElsewhereAsync(CancellationToken cancellationToken)
    {
        Task<(LoopSocket? Socket, ExceptionDispatchInfo? Error)> accept;
        try
        {
            accept = _loop.RunAsync(async () =>
            {
                try
                {
                    return (await AcceptOnLoopAsync(cancellationToken), (ExceptionDispatchInfo?)null);
                }
                catch (Exception ex)
                {
                    return ((LoopSocket?)null, ExceptionDispatchInfo.Capture(ex));
                }
            });
        }
        catch (InvalidOperationException stopping)
        {
            throw new ObjectDisposedException("The listener's loop group has stopped.", stopping);
        }

        (LoopSocket? socket, ExceptionDispatchInfo? error) = await accept.ConfigureAwait(false);
        error?.Throw();
        return socket!;
    }

    /// <summary>Accepting loop: waits for, accepts and places the next connection.</summary>
    private async ValueTask<LoopSocket> AcceptOnLoopAsync(CancellationToken cancellationToken)
    {
        Register();
        while (true)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_retryAt != 0)
            {
                long wait = _retryAt - Stopwatch.GetTimestamp();
                _retryAt = 0;
                if (wait > 0)
                {
                    await _loop.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
                    continue;
                }
            }

            int fd;
            IPEndPoint? remote;
            try
            {
                fd = Accept(out remote);
            }
            catch (SocketException)
            {
                _retryAt = Stopwatch.GetTimestamp() + _retryDelayTicks;
                throw;
            }

            if (fd >= 0)
            {
                return Place(fd, remote);
            }

            if (!_ready)
            {
                await _wait.Arm(cancellationToken);
            }
        }
    }

    /// <summary>Accepting loop: one accept4. A connected non-blocking descriptor, or -1 when none is waiting.</summary>
    private unsafe int Accept(out IPEndPoint? remote)
    {
        byte* address = stackalloc byte[SocketAddresses.MaxSize];
        while (true)
        {
            uint length = SocketAddresses.MaxSize;
            int fd = LinuxSockets.accept4(_fd, address, &length, LinuxSockets.SockNonblock | LinuxSockets.SockCloexec);
            if (fd >= 0)
            {
                remote = SocketAddresses.Parse(new ReadOnlySpan<byte>(address, (int)Math.Min(length, SocketAddresses.MaxSize)));
                return fd;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno is LinuxSockets.EINTR or LinuxSockets.ECONNABORTED)
            {
                continue;
            }

            remote = null;
            if (errno == LinuxSockets.EAGAIN)
            {
                _ready = false;
                return -1;
            }

            throw SocketErrors.FromErrno(errno);
        }
    }

    /// <summary>Accepting loop: gives a new descriptor to the next loop in turn.</summary>
    private LoopSocket Place(int fd, IPEndPoint? remote)
    {
        if (_noDelay)
        {
            LoopSocket.SetNoDelay(fd, true);
        }

        Loop target = _group[_next];
        _next = _next + 1 == _group.Count ? 0 : _next + 1;
        return new LoopSocket(target, fd, SocketAddresses.Read(fd, peer: false), remote, _noDelay);
    }

    /// <summary>Accepting loop: joins the loop's epoll set on the first accept.</summary>
    private void Register()
    {
        if (_poller is null && !_closed)
        {
            EpollPoller poller = LoopIo.PollerFor(_loop);
            _token = poller.Register(_fd, this, Interest);
            _poller = poller;
            _registered = true;
        }
    }

    /// <summary>Accepting loop: stops listening and fails a pending accept.</summary>
    private void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _poller?.Unregister(_token);
        _socket.Dispose();
        _wait.Fail(new ObjectDisposedException(nameof(LoopListener)));
    }
}
