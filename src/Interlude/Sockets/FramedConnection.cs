using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Interlude.Sockets;

namespace Interlude;

/// <summary>
/// One connection of a <see cref="FramedServer"/>, living on one loop: frames arrive as 4-byte big-endian length
/// prefixes followed by the payload, and each is handed to the server's handler, one at a time and in order.
/// </summary>
/// <remarks>
/// <para>
/// Ordering: the connection's receive coroutine awaits the handler for each frame before it looks at the next,
/// so frames of one connection never overlap or reorder, even when a handler suspends; different connections
/// (and different loops) interleave freely.
/// </para>
/// <para>
/// Memory: a connection holds a receive buffer only while bytes of a frame are in it (the pool's
/// <see cref="FramedServerOptions.ReceiveBufferSize"/> block), grows it with the bytes that actually arrive for a
/// larger frame (doubling, up to the frame's size, within <see cref="FramedServerOptions.LargeFrameMemoryBudget"/>),
/// and gives it back when the frame has been handled. Its send buffer is held only while replies are unsent.
/// </para>
/// <para>
/// Backpressure: responses go into the send buffer, written to the socket at once when the socket takes them and
/// by a flush coroutine otherwise. While more than <see cref="FramedServerOptions.MaxPendingSendBytes"/> are
/// unsent, <see cref="SendAsync"/> waits and the connection reads no further frames, so a peer that does not read
/// cannot make the server buffer without bound.
/// </para>
/// <para>
/// Thread rules: everything runs on the connection's loop; <see cref="SendAsync"/> and <see cref="Close"/> must be
/// called there (handlers run there).
/// </para>
/// </remarks>
public sealed partial class FramedConnection
{
    internal const int HeaderSize = 4;

    // Any accepting thread: incremented once per connection.
    private static long s_lastId;

    private readonly FramedServer _server;
    private readonly FramedLoop _loopState;
    private readonly LoopSocket _socket;
    private readonly ReadinessWait _drained;
    private readonly int _maxPending;

    // Owner only: unsent reply bytes, [_sendStart, _sendEnd) of a pooled buffer ([] while nothing is unsent).
    private byte[] _send = [];
    private int _sendStart;
    private int _sendEnd;
    private bool _flushing;
    private bool _closed;

    internal FramedConnection(FramedServer server, FramedLoop loopState, LoopSocket socket)
    {
        _server = server;
        _loopState = loopState;
        _socket = socket;
        _drained = new ReadinessWait(socket.Loop);
        _budgetWait = new ReadinessWait(socket.Loop);
        _maxPending = server.Options.MaxPendingSendBytes;
        _baseReceiveSize = FramedLoop.PoolSize(server.Options.ReceiveBufferSize);
        Id = Interlocked.Increment(ref s_lastId);
        RemoteEndPoint = socket.RemoteEndPoint;
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

    private void Append(ReadOnlySpan<byte> payload)
    {
        int needed = HeaderSize + payload.Length;
        if (_send.Length - _sendEnd < needed)
        {
            int pending = PendingSendBytes;
            byte[] target = pending + needed > _send.Length ? RentSend(pending + needed) : _send;
            _send.AsSpan(_sendStart, pending).CopyTo(target);
            if (!ReferenceEquals(target, _send))
            {
                ReturnSend();
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

            ReleaseSendBuffer();
        }
        catch (Exception ex)
        {
            (FramedCloseReason reason, Exception? error) = Classify(ex);
            CloseWith(reason, error);
        }
    }

    private async ValueTask FlushAsync()
    {
        _flushSince = _loopState.Now;
        _flushSent = 0;
        try
        {
            while (_sendEnd > _sendStart && !_closed)
            {
                await _socket.WaitWritableAsync();
                int sent = _closed ? 0 : _socket.Send(_send.AsSpan(_sendStart, _sendEnd - _sendStart));
                if (sent > 0)
                {
                    _sendStart += sent;
                    _flushSent += sent;
                    _lastActivity = _loopState.Now;
                }

                if (PendingSendBytes <= _maxPending / 2)
                {
                    _drained.Complete();
                }
            }
        }
        catch (Exception ex)
        {
            (FramedCloseReason reason, Exception? error) = Classify(ex);
            CloseWith(reason, error);
        }
        finally
        {
            _flushing = false;
            _flushSince = 0;
            _drained.Complete();
            if (_closed || _sendEnd == _sendStart)
            {
                ReleaseSendBuffer();
            }
        }
    }

    private byte[] RentSend(int bytes)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bytes, 4 * 1024));
        _loopState.CountBuffer(buffer.Length);
        return buffer;
    }

    private void ReturnSend()
    {
        if (_send.Length > 0)
        {
            _loopState.CountBuffer(-_send.Length);
            ArrayPool<byte>.Shared.Return(_send);
        }
    }

    /// <summary>Loop thread, with nothing left to send (or nobody to send it to): gives the send buffer back.</summary>
    private void ReleaseSendBuffer()
    {
        ReturnSend();
        _send = [];
        _sendStart = _sendEnd = 0;
    }

    /// <summary>Loop thread: closes once, releases a waiting sender (its frame is dropped) and reports why.</summary>
    private void CloseWith(FramedCloseReason reason, Exception? error)
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _loopState.Unregister(this);
        _socket.Close();
        _drained.Complete();
        ReleaseBudget();
        _server.OnConnectionClosed(this, reason, error);
        if (!_flushing)
        {
            ReleaseSendBuffer();
        }
    }
}
