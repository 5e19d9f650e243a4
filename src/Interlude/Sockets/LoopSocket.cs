using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Interlude.Native;

namespace Interlude.Sockets;

/// <summary>
/// A connected, non-blocking stream socket owned by one loop: registered once in that loop's epoll set
/// (edge-triggered, input and output), read and written with plain recv/send on the loop's thread.
/// </summary>
/// <remarks>
/// Readiness: <c>_readReady</c> / <c>_writeReady</c> are set by epoll events and cleared when a recv comes back
/// short or with EAGAIN (the receive buffer was drained) or a send with EAGAIN. A short recv is enough to clear
/// it because an edge-triggered registration reports every arrival after the drain, so data that lands in
/// between produces an event the next poll sees. End of stream is the exception: once the peer's FIN (or an
/// error) has been reported, reads stay "ready", since that edge may have arrived together with the last data.
/// One recv per arrival, one send per response, no EAGAIN probes
/// in the common case.
///
/// Thread rules: every member is called on the owning loop only. At most one reader and one writer wait at a
/// time (a receive coroutine and a send coroutine).
/// </remarks>
internal sealed class LoopSocket : IEpollTarget
{
    /// <summary>Segments gathered by one sendmsg.</summary>
    internal const int MaxGather = 32;

    private const uint Interest = LinuxSockets.EpollIn | LinuxSockets.EpollOut | LinuxSockets.EpollRdHup | LinuxSockets.EpollEt;

    private readonly EpollPoller _poller;
    private readonly ReadinessWait _readWait = new();
    private readonly ReadinessWait _writeWait = new();
    private readonly ulong _token;
    private int _fd;
    private bool _readReady;
    private bool _writeReady;

    // Pins of the segments one gathered send is writing; created on the first multi-segment send.
    private MemoryHandle[]? _pins;

    // Set once the peer's FIN, a hang-up or an error was reported: recv then never blocks again, so a short
    // read must not clear _readReady (the end-of-stream edge may already have been consumed with the data).
    private bool _readEnded;

    private LoopSocket(EpollPoller poller, int fd)
    {
        _poller = poller;
        _fd = fd;
        _token = poller.Register(fd, this, Interest);
    }

    /// <summary>The loop that owns the socket.</summary>
    internal Loop Loop => _poller.Loop;

    internal bool IsClosed => _fd < 0;

    internal int Descriptor => _fd;

    /// <summary>
    /// Loop thread. Takes ownership of a connected non-blocking descriptor and registers it with this loop's
    /// epoll set. On failure the descriptor is closed.
    /// </summary>
    internal static unsafe LoopSocket Adopt(int fd, bool noDelay)
    {
        try
        {
            if (noDelay)
            {
                int one = 1;
                LinuxSockets.setsockopt(fd, LinuxSockets.IpProtoTcp, LinuxSockets.TcpNoDelay, &one, sizeof(int));
            }

            return new LoopSocket(LoopIo.PollerFor(Loop.Current ?? throw new InvalidOperationException("Loop-owned sockets are created on a loop thread.")), fd);
        }
        catch
        {
            LinuxSockets.close(fd);
            throw;
        }
    }

    /// <summary>The peer's address, or null if it cannot be read (closed, or not an IP socket).</summary>
    internal IPEndPoint? RemoteEndPoint => SocketAddresses.Read(_fd, peer: true);

    /// <summary>This side's address, or null if it cannot be read.</summary>
    internal IPEndPoint? LocalEndPoint => SocketAddresses.Read(_fd, peer: false);

    /// <summary>Completes when a receive may find data (or end of stream, or an error). Synchronously if ready.</summary>
    internal ValueTask WaitReadableAsync() => _readReady || _fd < 0 ? default : _readWait.Arm();

    /// <summary>Completes when a send may make progress. Synchronously if ready.</summary>
    internal ValueTask WaitWritableAsync() => _writeReady || _fd < 0 ? default : _writeWait.Arm();

    /// <summary>
    /// One recv. Returns the bytes read, 0 at end of stream, or -1 when nothing is there yet (wait with
    /// <see cref="WaitReadableAsync"/>).
    /// </summary>
    /// <exception cref="SocketException">The connection failed (reset, for example).</exception>
    /// <exception cref="ObjectDisposedException">The socket was closed.</exception>
    internal unsafe int Receive(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
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

    /// <summary>Receives at least one byte, or 0 at end of stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        while (true)
        {
            await WaitReadableAsync();
            int n = Receive(buffer.Span);
            if (n >= 0)
            {
                return n;
            }
        }
    }

    /// <summary>One send. Returns the bytes accepted by the kernel (perhaps fewer than given), or -1 when the send buffer is full.</summary>
    /// <exception cref="SocketException">The connection failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket was closed.</exception>
    internal unsafe int Send(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = LinuxSockets.send(_fd, p, buffer.Length, LinuxSockets.MsgNoSignal);
            }

            if (n >= 0)
            {
                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == LinuxSockets.EINTR)
            {
                continue;
            }

            if (errno == LinuxSockets.EAGAIN)
            {
                _writeReady = false;
                return -1;
            }

            throw SocketErrors.FromErrno(errno);
        }
    }

    /// <summary>Sends all of <paramref name="buffer"/>, waiting for room when the kernel's buffer is full.</summary>
    internal ValueTask SendAsync(ReadOnlyMemory<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = Send(buffer.Span);
            if (n < 0)
            {
                return SendSlowAsync(buffer);
            }

            buffer = buffer[n..];
        }

        return default;
    }

    /// <summary>
    /// Sends every segment of <paramref name="buffer"/> in order: one sendmsg gathers up to
    /// <see cref="MaxGather"/> segments, so a many-segment response costs few syscalls.
    /// </summary>
    internal ValueTask SendAsync(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            return SendAsync(buffer.First);
        }

        ReadOnlySequence<byte> remaining = buffer;
        while (!remaining.IsEmpty)
        {
            long sent = Send(remaining);
            if (sent < 0)
            {
                return SendSegmentsSlowAsync(remaining);
            }

            remaining = remaining.Slice(sent);
        }

        return default;
    }

    /// <summary>
    /// One sendmsg over the first segments of <paramref name="buffer"/>. Returns the bytes the kernel took, or -1
    /// when the send buffer is full.
    /// </summary>
    internal unsafe long Send(in ReadOnlySequence<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        _pins ??= new MemoryHandle[MaxGather];
        LinuxSockets.IoVec* iov = stackalloc LinuxSockets.IoVec[MaxGather];
        int count = 0;
        try
        {
            foreach (ReadOnlyMemory<byte> segment in buffer)
            {
                if (segment.IsEmpty)
                {
                    continue;
                }

                MemoryHandle pin = segment.Pin();
                _pins[count] = pin;
                iov[count].Base = pin.Pointer;
                iov[count].Length = (nuint)segment.Length;
                if (++count == MaxGather)
                {
                    break;
                }
            }

            LinuxSockets.MsgHdr message = default;
            message.Iov = iov;
            message.IovLength = (nuint)count;
            while (true)
            {
                nint n = LinuxSockets.sendmsg(_fd, &message, LinuxSockets.MsgNoSignal);
                if (n >= 0)
                {
                    return n;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == LinuxSockets.EINTR)
                {
                    continue;
                }

                if (errno == LinuxSockets.EAGAIN)
                {
                    _writeReady = false;
                    return -1;
                }

                throw SocketErrors.FromErrno(errno);
            }
        }
        finally
        {
            for (int i = 0; i < count; i++)
            {
                _pins[i].Dispose();
                _pins[i] = default;
            }
        }
    }

    /// <summary>Stops sending (SHUT_WR) or both directions (SHUT_RDWR); a pending wait wakes on the resulting events.</summary>
    internal void Shutdown(int how)
    {
        if (_fd >= 0)
        {
            LinuxSockets.shutdown(_fd, how);
        }
    }

    /// <summary>Closes the descriptor. Pending waits fail with <see cref="ObjectDisposedException"/>.</summary>
    internal void Close()
    {
        if (_fd < 0)
        {
            return;
        }

        int fd = _fd;
        _fd = -1;
        _poller.Unregister(_token);
        LinuxSockets.close(fd);
        _readWait.Fail(new ObjectDisposedException(nameof(LoopSocket)));
        _writeWait.Fail(new ObjectDisposedException(nameof(LoopSocket)));
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendSlowAsync(ReadOnlyMemory<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            await WaitWritableAsync();
            int n = Send(buffer.Span);
            if (n > 0)
            {
                buffer = buffer[n..];
            }
        }
    }

    private async ValueTask SendSegmentsSlowAsync(ReadOnlySequence<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            await WaitWritableAsync();
            long sent = Send(buffer);
            if (sent > 0)
            {
                buffer = buffer.Slice(sent);
            }
        }
    }
}
