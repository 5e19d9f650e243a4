using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Interlude.Native;

namespace Interlude.Sockets;

/// <summary>
/// A listening socket whose accepts run on one loop: registered edge-triggered in that loop's epoll set, it
/// accepts with accept4 (non-blocking, close-on-exec) until EAGAIN. The bind itself goes through
/// <see cref="Socket"/>, which handles address families and errors; the loop only uses its descriptor.
/// </summary>
/// <remarks>Thread rules: <see cref="Bind"/> on any thread; everything else on the owning loop only.</remarks>
internal sealed class LoopListener : IEpollTarget
{
    private const uint Interest = LinuxSockets.EpollIn | LinuxSockets.EpollEt;

    private readonly Socket _socket;
    private readonly EpollPoller _poller;
    private readonly ReadinessWait _wait = new();
    private readonly ulong _token;
    private readonly int _fd;
    private bool _ready = true;
    private bool _closed;

    private LoopListener(Socket socket)
    {
        _socket = socket;
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _poller = LoopIo.PollerFor(Loop.Current ?? throw new InvalidOperationException("Loop-owned sockets are created on a loop thread."));
        _token = _poller.Register(_fd, this, Interest);
    }

    internal Loop Loop => _poller.Loop;

    internal bool IsClosed => _closed;

    /// <summary>
    /// Any thread. Creates a non-blocking listening socket bound to <paramref name="endPoint"/> (port 0 picks a
    /// free port; read it from <see cref="Socket.LocalEndPoint"/>).
    /// </summary>
    internal static Socket Bind(IPEndPoint endPoint, int backlog)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(backlog);
            socket.Blocking = false;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Loop thread: registers a bound socket from <see cref="Bind"/> with this loop; takes ownership.</summary>
    internal static LoopListener Attach(Socket listening)
    {
        try
        {
            return new LoopListener(listening);
        }
        catch
        {
            listening.Dispose();
            throw;
        }
    }

    /// <summary>Completes when an accept may find a connection. Synchronously if one may be waiting.</summary>
    internal ValueTask WaitAcceptableAsync() => _ready || _closed ? default : _wait.Arm();

    /// <summary>
    /// One accept4. Returns a connected non-blocking descriptor, or -1 when no connection is waiting.
    /// Connections the peer reset before they were accepted are skipped.
    /// </summary>
    /// <exception cref="SocketException">Accepting failed (for example, too many open descriptors).</exception>
    /// <exception cref="ObjectDisposedException">The listener was closed.</exception>
    internal unsafe int Accept()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        while (true)
        {
            int fd = LinuxSockets.accept4(_fd, null, null, LinuxSockets.SockNonblock | LinuxSockets.SockCloexec);
            if (fd >= 0)
            {
                return fd;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno is LinuxSockets.EINTR or LinuxSockets.ECONNABORTED)
            {
                continue;
            }

            if (errno == LinuxSockets.EAGAIN)
            {
                _ready = false;
                return -1;
            }

            throw SocketErrors.FromErrno(errno);
        }
    }

    /// <summary>
    /// Loop thread: the next connected descriptor, waiting for one as long as it takes. An accept that fails (out
    /// of descriptors, typically) is passed to <paramref name="onError"/> and tried again after
    /// <paramref name="retryDelay"/>; what the kernel has queued stays queued meanwhile.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The listener was closed.</exception>
    internal async ValueTask<int> AcceptAsync(Action<SocketException> onError, TimeSpan retryDelay)
    {
        while (true)
        {
            int fd;
            try
            {
                fd = Accept();
            }
            catch (SocketException ex)
            {
                onError(ex);
                await Loop.Delay(retryDelay);
                continue;
            }

            if (fd >= 0)
            {
                return fd;
            }

            await WaitAcceptableAsync();
        }
    }

    /// <summary>Stops listening; a pending wait fails with <see cref="ObjectDisposedException"/>.</summary>
    internal void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _poller.Unregister(_token);
        _socket.Dispose();
        _wait.Fail(new ObjectDisposedException(nameof(LoopListener)));
    }

    void IEpollTarget.OnEvents(uint events)
    {
        _ready = true;
        _wait.Complete();
    }

    int IEpollTarget.CancelWaits(CancellationToken token) => _wait.Fail(new OperationCanceledException(token)) ? 1 : 0;

    void IEpollTarget.OnLoopExit() => Close();
}
