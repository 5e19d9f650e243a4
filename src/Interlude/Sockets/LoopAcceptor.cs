using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Interlude.Loops;
using Interlude.Native;

namespace Interlude.Sockets;

/// <summary>
/// One listening socket of a <see cref="LoopListener"/> and the coroutine that accepts from it, on one loop: the
/// descriptor is in that loop's epoll set and accept4 runs there. Linux only.
/// </summary>
/// <remarks>
/// The accept coroutine drains the kernel's queue, handing each connection to the listener, and yields to the
/// loop's other work after <see cref="BurstLimit"/> accepts in a row, so a burst of connects does not hold back the
/// connections the loop already serves. Every field except <see cref="Accepted"/> is touched only by the loop.
/// </remarks>
internal sealed class LoopAcceptor : IEpollTarget
{
    /// <summary>Accepts in a row before the coroutine yields to the loop's other work.</summary>
    internal const int BurstLimit = 16;

    private const uint Interest = LinuxSockets.EpollIn | LinuxSockets.EpollEt;

    private readonly LoopListener _listener;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly ReadinessWait _wait;

    private EpollPoller? _poller;
    private ulong _token;
    private bool _ready = true;
    private bool _closed;

    // Written by the loop (one increment per accepted connection); read by any thread for diagnostics and tests.
    private long _accepted;

    internal LoopAcceptor(LoopListener listener, Loop loop, Socket socket)
    {
        _listener = listener;
        Loop = loop;
        _socket = socket;
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _wait = new ReadinessWait(loop);
    }

    /// <summary>The loop this socket accepts on.</summary>
    internal Loop Loop { get; }

    /// <summary>Any thread: connections this acceptor has accepted.</summary>
    internal long Accepted => Volatile.Read(ref _accepted);

    /// <summary>The loop: accepts until the listener closes or the loop stops.</summary>
    internal async ValueTask RunAsync()
    {
        try
        {
            Register();
            int burst = 0;
            while (!_closed)
            {
                int fd;
                IPEndPoint? remote;
                try
                {
                    fd = Accept(out remote);
                }
                catch (SocketException ex)
                {
                    // Out of descriptors, typically: the kernel keeps the connections queued while the loop waits.
                    _listener.OnAcceptFailed(this, ex);
                    await Loop.Delay(_listener.RetryDelay);
                    continue;
                }

                if (fd >= 0)
                {
                    Interlocked.Increment(ref _accepted);
                    _listener.OnAccepted(this, fd, remote);
                    if (++burst == BurstLimit)
                    {
                        burst = 0;
                        await Loop.Yield();
                    }

                    continue;
                }

                burst = 0;
                await _wait.Arm();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed, or the loop is stopping.
        }
        finally
        {
            Close();
        }
    }

    /// <summary>The loop: stops listening on this socket, ends the accept coroutine and tells the listener.</summary>
    internal void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _poller?.Unregister(_token);
        _socket.Dispose();
        _wait.Fail(new ObjectDisposedException(nameof(LoopListener)));
        _listener.OnAcceptorEnded();
    }

    /// <summary>Any thread, once no loop will run this acceptor: releases the socket.</summary>
    internal void Release() => _socket.Dispose();

    void IEpollTarget.OnEvents(uint events)
    {
        _ready = true;
        _wait.Complete();
    }

    int IEpollTarget.CancelWaits(CancellationToken token) => _wait.Fail(new OperationCanceledException(token)) ? 1 : 0;

    void IEpollTarget.OnLoopExit() => Close();

    /// <summary>The loop: one accept4. A connected non-blocking descriptor, or -1 when none is waiting.</summary>
    private unsafe int Accept(out IPEndPoint? remote)
    {
        remote = null;
        if (!_ready)
        {
            return -1;
        }

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

            if (errno == LinuxSockets.EAGAIN)
            {
                _ready = false;
                return -1;
            }

            throw SocketErrors.FromErrno(errno);
        }
    }

    /// <summary>The loop: joins the loop's epoll set.</summary>
    private void Register()
    {
        if (_poller is null && !_closed)
        {
            EpollPoller poller = LoopIo.PollerFor(Loop);
            _token = poller.Register(_fd, this, Interest);
            _poller = poller;
        }
    }
}
