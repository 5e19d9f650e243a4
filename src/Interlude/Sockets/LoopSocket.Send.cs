using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Interlude.Native;
using Interlude.Sockets;

namespace Interlude;

/// <summary>The sending half of <see cref="LoopSocket"/>: plain send for one buffer, gathered sendmsg for many.</summary>
public sealed partial class LoopSocket
{
    /// <summary>Segments gathered by one sendmsg.</summary>
    internal const int MaxGather = 32;

    // Owner only: pins of the segments one gathered send is writing; created on the first multi-segment send.
    private MemoryHandle[]? _pins;

    /// <summary>
    /// One send without waiting. Returns false when the kernel's send buffer is full (nothing was sent; wait with
    /// <see cref="WaitWritableAsync"/>); true with the bytes the kernel took, which may be fewer than given.
    /// </summary>
    /// <exception cref="SocketException">The connection failed (the peer reset it or has gone).</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public bool TrySend(ReadOnlySpan<byte> buffer, out int bytesSent)
    {
        EnterOwner();
        int n = Send(buffer);
        bytesSent = Math.Max(n, 0);
        return n >= 0;
    }

    /// <summary>
    /// One gathered send (sendmsg) of up to 32 segments of <paramref name="buffer"/>, without waiting. Returns false
    /// when the kernel's send buffer is full; true with the bytes the kernel took.
    /// </summary>
    /// <exception cref="SocketException">The connection failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public bool TrySend(in ReadOnlySequence<byte> buffer, out long bytesSent)
    {
        EnterOwner();
        long n = buffer.IsSingleSegment ? Send(buffer.FirstSpan) : Send(buffer);
        bytesSent = Math.Max(n, 0);
        return n >= 0;
    }

    /// <summary>
    /// Sends all of <paramref name="buffer"/>, waiting for room when the kernel's buffer is full. Completes
    /// synchronously when the kernel takes everything at once.
    /// </summary>
    /// <exception cref="SocketException">The connection failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnterOwner();
        while (!buffer.IsEmpty)
        {
            int n = Send(buffer.Span);
            if (n < 0)
            {
                return SendSlowAsync(buffer, cancellationToken);
            }

            buffer = buffer[n..];
        }

        return default;
    }

    /// <summary>
    /// Sends every segment of <paramref name="buffer"/> in order; one sendmsg gathers up to 32 segments, so a
    /// many-segment buffer (a pipe's) costs few system calls.
    /// </summary>
    /// <exception cref="SocketException">The connection failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public ValueTask SendAsync(ReadOnlySequence<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsSingleSegment)
        {
            return SendAsync(buffer.First, cancellationToken);
        }

        EnterOwner();
        while (!buffer.IsEmpty)
        {
            long sent = Send(buffer);
            if (sent < 0)
            {
                return SendSegmentsSlowAsync(buffer, cancellationToken);
            }

            buffer = buffer.Slice(sent);
        }

        return default;
    }

    /// <summary>Owner only (checked by the caller). One send: the bytes the kernel took, or -1 when its buffer is full.</summary>
    internal unsafe int Send(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

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

    /// <summary>
    /// Owner only (checked by the caller). One sendmsg over the first segments of <paramref name="buffer"/>: the
    /// bytes the kernel took, or -1 when its buffer is full.
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

            if (count == 0)
            {
                return 0;
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendSlowAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            await WaitWritableAsync(cancellationToken);
            int n = Send(buffer.Span);
            if (n > 0)
            {
                buffer = buffer[n..];
            }
        }
    }

    private async ValueTask SendSegmentsSlowAsync(ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            await WaitWritableAsync(cancellationToken);
            long sent = Send(buffer);
            if (sent > 0)
            {
                buffer = buffer.Slice(sent);
            }
        }
    }
}
