using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Interlude.Sockets;

namespace Interlude;

/// <summary>
/// The receiving half of <see cref="FramedConnection"/>: reading frames into a buffer that grows with what
/// arrives, handing complete frames to the handler, and the large-frame budget.
/// </summary>
/// <remarks>
/// Buffer invariants (owner only): <c>_receive</c> is empty ([]) whenever no byte is buffered; otherwise the
/// bytes are [<c>_receiveStart</c>, <c>_receiveEnd</c>). <c>_frameTotal</c> is the size (header included) of the
/// frame at <c>_receiveStart</c> once its header is in, else 0. A frame larger than the base buffer has only its
/// own bytes read while it is incomplete, so when it has been handled the buffer is empty and goes back to the
/// pool whole. It takes a budget reservation when its bytes have filled the base buffer, the first time it needs
/// more memory, and holds it until it has been handled: a header alone, or a peer that stops after a few bytes,
/// never holds budget.
/// </remarks>
public sealed partial class FramedConnection
{
    private readonly ReadinessWait _budgetWait;
    private readonly int _baseReceiveSize;

    private byte[] _receive = [];
    private int _receiveStart;
    private int _receiveEnd;
    private int _frameTotal;

    // Owner only: the budget this connection's current frame holds, what it asked for, and whether it is queued.
    private long _reservation;
    private long _budgetRequest;
    private bool _waitingForBudget;

    /// <summary>Owner only: queued for budget and not yet granted (false once closed).</summary>
    internal bool IsWaitingForBudget => _waitingForBudget;

    /// <summary>Owner only: the budget the queued frame needs.</summary>
    internal long BudgetRequest => _budgetRequest;

    private int Buffered => _receiveEnd - _receiveStart;

    /// <summary>Loop thread, from <see cref="FramedLoop"/>: the queued request is granted (resumed separately).</summary>
    internal void TakeBudget()
    {
        _reservation = _budgetRequest;
        _waitingForBudget = false;
    }

    /// <summary>Loop thread, posted by <see cref="FramedLoop"/> after <see cref="TakeBudget"/>: resume the reader.</summary>
    internal void OnBudgetGranted() => _budgetWait.Complete();

    /// <summary>Loop thread: the connection's life. Returns when it is closed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask RunAsync()
    {
        FramedCloseReason reason = FramedCloseReason.PeerClosed;
        Exception? error = null;
        _loopState.Register(this);
        _lastActivity = _loopState.Now;
        try
        {
            while (true)
            {
                if (PendingSendBytes > _maxPending && !_drained.IsArmed)
                {
                    long pausedAt = _loopState.Now;
                    await _drained.Arm();
                    if (_closed)
                    {
                        return;
                    }

                    ResumeFrameClock(pausedAt);
                }

                // Without the context: the pooled method completes on this loop (it resumes here after the
                // handler), so this continuation runs inline instead of through a context post.
                if (!await HandleBufferedFramesAsync().ConfigureAwait(false))
                {
                    return;
                }

                if (Buffered == 0)
                {
                    // Between frames a connection holds no receive buffer: an idle one costs no pooled memory.
                    ReleaseReceiveBuffer();
                }
                else
                {
                    if (_frameStart == 0)
                    {
                        _frameStart = _loopState.Now;
                    }

                    if (_frameTotal > _baseReceiveSize && _reservation == 0 && Buffered == _receive.Length && !await ReserveAsync())
                    {
                        return;
                    }
                }

                _awaitingData = true;
                await _socket.WaitReadableAsync();
                _awaitingData = false;
                if (_closed)
                {
                    return;
                }

                int received = _socket.Receive(ReceiveRoom());
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
                    _lastActivity = _loopState.Now;
                }
            }
        }
        catch (Exception ex)
        {
            (reason, error) = Classify(ex);
        }
        finally
        {
            _awaitingData = false;
            CloseWith(reason, error);
            ReleaseReceiveBuffer();
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

    /// <summary>
    /// Handles every complete frame in the receive buffer and leaves a partial one at its front; returns false if
    /// the connection must close.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> HandleBufferedFramesAsync()
    {
        Func<FramedConnection, ReadOnlyMemory<byte>, ValueTask> handler = _server.Handler;
        int maxFrame = _server.Options.MaxFrameSize;
        while (Buffered >= HeaderSize)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(_receive.AsSpan(_receiveStart));
            if (length < 0 || length > maxFrame)
            {
                CloseWith(FramedCloseReason.FrameTooLarge, new InvalidDataException(
                    $"Connection {Id} announced a frame of {(uint)length} bytes, over the limit of {maxFrame} (FramedServerOptions.MaxFrameSize); the connection was closed."));
                return false;
            }

            if (Buffered < HeaderSize + length)
            {
                _frameTotal = HeaderSize + length;
                Compact();
                return true;
            }

            ReadOnlyMemory<byte> payload = _receive.AsMemory(_receiveStart + HeaderSize, length);
            _receiveStart += HeaderSize + length;
            _frameTotal = 0;
            _frameStart = 0;
            try
            {
                await handler(this, payload);
            }
            catch (OperationCanceledException)
            {
                // As with keyed dispatch, a cancelled handler is not a fault; the connection goes on with its next
                // frame (it used to end the connection as if the server were stopping).
            }
            catch (Exception ex)
            {
                // As with keyed dispatch: reported, and the connection goes on with its next frame.
                Loop.Group.ReportFault(Loop, ex, FaultSource.Coroutine);
            }

            _lastActivity = _loopState.Now;
            if (_closed)
            {
                return false;
            }

            if (_reservation > 0)
            {
                // A large frame has been handled: its buffer (holding nothing else) goes back, and so does its budget.
                ReleaseBudget();
                ReleaseReceiveBuffer();
            }
        }

        _frameTotal = 0;
        Compact();
        return true;
    }

    /// <summary>
    /// Loop thread, when a large frame has filled the base buffer: reserves budget for it, waiting (unread) behind
    /// earlier frames if it does not fit. Returns false if the connection closed meanwhile.
    /// </summary>
    private async ValueTask<bool> ReserveAsync()
    {
        long request = FramedLoop.PoolSize(_frameTotal) - _baseReceiveSize;
        _budgetRequest = request;
        if (_loopState.TryReserve(this, request))
        {
            _reservation = request;
            return true;
        }

        _waitingForBudget = true;
        long pausedAt = _loopState.Now;
        await _budgetWait.Arm();
        ResumeFrameClock(pausedAt);
        return !_closed;
    }

    /// <summary>Loop thread: gives back the budget the current frame holds, or leaves the budget queue.</summary>
    private void ReleaseBudget()
    {
        _waitingForBudget = false;
        _budgetWait.Complete();
        if (_reservation > 0)
        {
            long reservation = _reservation;
            _reservation = 0;
            _loopState.Release(reservation);
        }
    }

    /// <summary>
    /// Loop thread: where the next receive goes. Rents the base buffer when none is held, and grows a full buffer
    /// for the large frame it holds by doubling, up to that frame's size; a large frame's read stops at its end.
    /// </summary>
    private Span<byte> ReceiveRoom()
    {
        if (_receive.Length == 0)
        {
            _receive = ArrayPool<byte>.Shared.Rent(_baseReceiveSize);
            _loopState.CountBuffer(_receive.Length);
        }
        else if (_receiveEnd == _receive.Length)
        {
            // Full and compacted: the frame at the front is larger than the buffer, and has its reservation.
            int target = (int)Math.Min(FramedLoop.PoolSize(_frameTotal), 2L * _receive.Length);
            byte[] larger = ArrayPool<byte>.Shared.Rent(target);
            _loopState.CountBuffer(larger.Length - _receive.Length);
            _receive.AsSpan(_receiveStart, Buffered).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_receive);
            _receive = larger;
            _receiveEnd = Buffered;
            _receiveStart = 0;
        }

        int room = _receive.Length - _receiveEnd;
        if (_frameTotal > _baseReceiveSize)
        {
            room = Math.Min(room, _frameTotal - Buffered);
        }

        return _receive.AsSpan(_receiveEnd, room);
    }

    /// <summary>Loop thread: moves a partial frame to the front of the buffer once the buffer's end is reached.</summary>
    private void Compact()
    {
        if (_receiveStart == 0 || _receiveEnd < _receive.Length)
        {
            if (Buffered == 0)
            {
                _receiveStart = _receiveEnd = 0;
            }

            return;
        }

        int buffered = Buffered;
        _receive.AsSpan(_receiveStart, buffered).CopyTo(_receive);
        _receiveStart = 0;
        _receiveEnd = buffered;
    }

    /// <summary>Loop thread: gives the receive buffer back to the pool (only when it holds nothing, or at close).</summary>
    private void ReleaseReceiveBuffer()
    {
        if (_receive.Length > 0)
        {
            _loopState.CountBuffer(-_receive.Length);
            ArrayPool<byte>.Shared.Return(_receive);
            _receive = [];
        }

        _receiveStart = _receiveEnd = 0;
    }
}
