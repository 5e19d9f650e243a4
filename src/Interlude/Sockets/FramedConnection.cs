using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Interlude.Sockets;

namespace Interlude;

/// <summary>
/// One connection of a <see cref="FramedServer"/>, living on one loop: frames arrive as 4-byte big-endian length
/// prefixes followed by the payload, and each is handed to the server's handler, one at a time and in order.
/// </summary>
/// <remarks>
/// Ordering: the connection's receive coroutine awaits the handler for each frame before it looks at the next,
/// so frames of one connection never overlap or reorder, even when a handler suspends; different connections
/// (and different loops) interleave freely.
/// Backpressure: responses go into a per-connection send buffer that is written to the socket at once when the
/// socket takes it, and by a flush coroutine otherwise. While more than
/// <see cref="FramedServerOptions.MaxPendingSendBytes"/> are unsent, <see cref="SendAsync"/> waits and the
/// connection reads no further frames, so a peer that does not read cannot make the server buffer without bound.
/// Thread rules: everything runs on the connection's loop; <see cref="SendAsync"/> and <see cref="Close"/> must be
/// called there (handlers run there).
/// </remarks>
public sealed class FramedConnection
{
    internal const int HeaderSize = 4;

    // Any accepting thread: incremented once per connection.
    private static long s_lastId;

    private readonly FramedServer _server;
    private readonly LoopSocket _socket;
    private readonly ReadinessWait _drained;
    private readonly int _maxPending;
    private byte[] _receive;
    private int _receiveStart;
    private int _receiveEnd;
    private byte[] _send;
    private int _sendStart;
    private int _sendEnd;
    private bool _flushing;
    private bool _closed;

    internal FramedConnection(FramedServer server, LoopSocket socket)
    {
        _server = server;
        _socket = socket;
        _drained = new ReadinessWait(socket.Loop);
        _maxPending = server.Options.MaxPendingSendBytes;
        Id = Interlocked.Increment(ref s_lastId);
        RemoteEndPoint = socket.RemoteEndPoint;
        _receive = ArrayPool<byte>.Shared.Rent(server.Options.ReceiveBufferSize);
        _send = ArrayPool<byte>.Shared.Rent(Math.Min(server.Options.MaxPendingSendBytes, 16 * 1024));
    }

    /// <summary>A process-wide unique number for this connection.</summary>
    public long Id { get; }

    /// <summary>The peer's address, when known.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The loop the connection lives on; its handler runs there.</summary>
    public Loop Loop => _socket.Loop;

    /// <summary>Whether the connection has been closed. Loop thread.</summary>
    public bool IsClosed => _closed;

    /// <summary>Loop thread: response bytes not yet taken by the socket.</summary>
    public int PendingSendBytes => _sendEnd - _sendStart;

    /// <summary>Loop thread: the most unsent bytes this connection ever held.</summary>
    internal int PeakPendingSendBytes { get; private set; }

    /// <summary>
    /// Queues one frame (the length prefix is added here) and writes what the socket takes at once. Completes
    /// synchronously unless the connection's unsent bytes exceed the limit; it then waits until half are sent.
    /// </summary>
    /// <remarks>
    /// Once the connection has closed (the peer went away, most often), the frame is dropped and the call completes:
    /// nobody is left to receive it, and <see cref="FramedServer.ConnectionClosed"/> has said why.
    /// <see cref="IsClosed"/> tells a handler that wants to stop early.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Called off the connection's loop.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> frame)
    {
        if (!Loop.IsCurrent)
        {
            throw new InvalidOperationException("FramedConnection.SendAsync must be called on the connection's loop (from its handler).");
        }

        if (_closed)
        {
            return default;
        }

        Append(frame.Span);
        if (!_flushing)
        {
            WriteWhatFits();
        }

        return PendingSendBytes > _maxPending && !_closed ? _drained.Arm() : default;
    }

    /// <summary>Closes the connection; its pending frames are not handled. Loop thread.</summary>
    public void Close() => CloseWith(FramedCloseReason.ClosedByApplication, null);

    /// <summary>Loop thread: the connection's life. Returns when it is closed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask RunAsync()
    {
        FramedCloseReason reason = FramedCloseReason.PeerClosed;
        Exception? error = null;
        try
        {
            while (true)
            {
                if (PendingSendBytes > _maxPending && !_drained.IsArmed)
                {
                    await _drained.Arm();
                    if (_closed)
                    {
                        return;
                    }
                }

                // Without the context: the pooled method completes on this loop (it resumes here after the
                // handler), so this continuation runs inline instead of through a context post.
                if (!await HandleBufferedFramesAsync().ConfigureAwait(false))
                {
                    return;
                }

                await _socket.WaitReadableAsync();
                if (_closed)
                {
                    return;
                }

                int received = _socket.Receive(_receive.AsSpan(_receiveEnd));
                if (received == 0)
                {
                    // The peer has finished sending (it may still be reading: a half-close). What it asked for is
                    // sent before the connection closes.
                    await DrainSendsAsync();
                    return;
                }

                if (received > 0)
                {
                    _receiveEnd += received;
                }
            }
        }
        catch (Exception ex)
        {
            (reason, error) = Classify(ex);
        }
        finally
        {
            CloseWith(reason, error);
            ArrayPool<byte>.Shared.Return(_receive);
            _receive = [];
        }
    }

    /// <summary>Loop thread: waits until every queued byte has been sent, or the connection is closed.</summary>
    private async ValueTask DrainSendsAsync()
    {
        while (PendingSendBytes > 0 && !_closed)
        {
            if (_drained.IsArmed)
            {
                // A sender waits on the same signal; check again after the loop's other work.
                await Loop.Yield();
            }
            else
            {
                await _drained.Arm();
            }
        }
    }

    /// <summary>Handles every complete frame in the receive buffer; returns false if the connection must close.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> HandleBufferedFramesAsync()
    {
        Func<FramedConnection, ReadOnlyMemory<byte>, ValueTask> handler = _server.Handler;
        int maxFrame = _server.Options.MaxFrameSize;
        while (_receiveEnd - _receiveStart >= HeaderSize)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(_receive.AsSpan(_receiveStart));
            if (length < 0 || length > maxFrame)
            {
                CloseWith(FramedCloseReason.FrameTooLarge, new InvalidDataException(
                    $"Connection {Id} announced a frame of {(uint)length} bytes, over the limit of {maxFrame} (FramedServerOptions.MaxFrameSize); the connection was closed."));
                return false;
            }

            if (_receiveEnd - _receiveStart < HeaderSize + length)
            {
                MakeRoom(HeaderSize + length);
                return true;
            }

            ReadOnlyMemory<byte> payload = _receive.AsMemory(_receiveStart + HeaderSize, length);
            _receiveStart += HeaderSize + length;
            try
            {
                await handler(this, payload);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // As with keyed dispatch: reported, and the connection goes on with its next frame.
                Loop.Group.ReportFault(Loop, ex, FaultSource.Coroutine);
            }

            if (_closed)
            {
                return false;
            }
        }

        MakeRoom(HeaderSize);
        return true;
    }

    /// <summary>Moves the partial frame to the front and grows the buffer so that <paramref name="frameBytes"/> fit.</summary>
    private void MakeRoom(int frameBytes)
    {
        int buffered = _receiveEnd - _receiveStart;
        if (buffered == 0)
        {
            _receiveStart = _receiveEnd = 0;
        }

        if (frameBytes > _receive.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(frameBytes);
            _receive.AsSpan(_receiveStart, buffered).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_receive);
            _receive = larger;
            _receiveStart = 0;
            _receiveEnd = buffered;
        }
        else if (_receive.Length - _receiveStart < frameBytes || _receiveEnd == _receive.Length)
        {
            _receive.AsSpan(_receiveStart, buffered).CopyTo(_receive);
            _receiveStart = 0;
            _receiveEnd = buffered;
        }
    }

    private void Append(ReadOnlySpan<byte> payload)
    {
        int needed = HeaderSize + payload.Length;
        if (_send.Length - _sendEnd < needed)
        {
            int pending = PendingSendBytes;
            byte[] target = pending + needed > _send.Length ? ArrayPool<byte>.Shared.Rent(pending + needed) : _send;
            _send.AsSpan(_sendStart, pending).CopyTo(target);
            if (!ReferenceEquals(target, _send))
            {
                ArrayPool<byte>.Shared.Return(_send);
                _send = target;
            }

            _sendStart = 0;
            _sendEnd = pending;
        }

        BinaryPrimitives.WriteInt32BigEndian(_send.AsSpan(_sendEnd), payload.Length);
        payload.CopyTo(_send.AsSpan(_sendEnd + HeaderSize));
        _sendEnd += needed;
        PeakPendingSendBytes = Math.Max(PeakPendingSendBytes, PendingSendBytes);
    }

    /// <summary>Writes until the socket is full; then the flush coroutine takes over.</summary>
    private void WriteWhatFits()
    {
        try
        {
            while (_sendEnd > _sendStart)
            {
                int sent = _socket.Send(_send.AsSpan(_sendStart, _sendEnd - _sendStart));
                if (sent < 0)
                {
                    _flushing = true;
                    Loop.Spawn(static c => c.FlushAsync(), this);
                    return;
                }

                _sendStart += sent;
            }

            _sendStart = _sendEnd = 0;
        }
        catch (Exception ex)
        {
            (FramedCloseReason reason, Exception? error) = Classify(ex);
            CloseWith(reason, error);
        }
    }

    private async ValueTask FlushAsync()
    {
        try
        {
            while (_sendEnd > _sendStart && !_closed)
            {
                await _socket.WaitWritableAsync();
                int sent = _closed ? 0 : _socket.Send(_send.AsSpan(_sendStart, _sendEnd - _sendStart));
                if (sent > 0)
                {
                    _sendStart += sent;
                }

                if (PendingSendBytes <= _maxPending / 2)
                {
                    _drained.Complete();
                }
            }

            _sendStart = _sendEnd = 0;
        }
        catch (Exception ex)
        {
            (FramedCloseReason reason, Exception? error) = Classify(ex);
            CloseWith(reason, error);
        }
        finally
        {
            _flushing = false;
            _drained.Complete();
            if (_closed && _send.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_send);
                _send = [];
                _sendStart = _sendEnd = 0;
            }
        }
    }

    /// <summary>
    /// An exception that ended a receive or a send, as a close reason: a peer that went away and a loop that is
    /// stopping are ordinary ends and carry no error.
    /// </summary>
    private static (FramedCloseReason Reason, Exception? Error) Classify(Exception ex) => ex switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted }
            => (FramedCloseReason.PeerReset, null),
        ObjectDisposedException or OperationCanceledException => (FramedCloseReason.ServerStopped, null),
        _ => (FramedCloseReason.Error, ex),
    };

    /// <summary>Loop thread: closes once, releases a waiting sender (its frame is dropped) and reports why.</summary>
    private void CloseWith(FramedCloseReason reason, Exception? error)
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _socket.Close();
        _drained.Complete();
        _server.OnConnectionClosed(this, reason, error);
        if (!_flushing)
        {
            ArrayPool<byte>.Shared.Return(_send);
            _send = [];
            _sendStart = _sendEnd = 0;
        }
    }
}
