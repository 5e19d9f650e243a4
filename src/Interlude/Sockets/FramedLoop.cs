using System.Numerics;

namespace Interlude.Sockets;

/// <summary>
/// A framed server's state on one loop: that loop's share of the large-frame memory budget, the connections
/// waiting for it, and what the loop's connections hold in buffers.
/// </summary>
/// <remarks>
/// Thread rules: created on its loop by the first connection there, and touched only by that loop, so it needs
/// no lock or atomic. Other threads read the buffer statistics with <see cref="Volatile"/> (tests, diagnostics).
/// Budget: a frame larger than the base receive buffer reserves its whole buffer size when its header arrives
/// (its memory is still only rented as its bytes come in). Reservations are granted in arrival order; one that
/// does not fit waits, its connection unread, until earlier frames finish. A loop with no reservation always
/// grants the next one, whatever its size, so every frame up to the frame size limit makes progress. Frames that
/// fit the base buffer never reserve and never wait.
/// </remarks>
internal sealed class FramedLoop
{
    private static readonly Action<object?> s_grant = static c => ((FramedConnection)c!).OnBudgetGranted();

    private readonly Loop _loop;
    private readonly long _share;
    private readonly Queue<FramedConnection> _waiting = new();
    private long _reserved;

    // Owner writes; any thread may read (Volatile) for statistics.
    private long _bufferBytes;
    private long _peakBufferBytes;

    internal FramedLoop(Loop loop, long share)
    {
        _loop = loop;
        _share = share;
    }

    internal Loop Loop => _loop;

    /// <summary>Any thread: receive and send buffer bytes this loop's connections hold now.</summary>
    internal long BufferBytes => Volatile.Read(ref _bufferBytes);

    /// <summary>Any thread: the most buffer bytes this loop's connections ever held at once.</summary>
    internal long PeakBufferBytes => Volatile.Read(ref _peakBufferBytes);

    /// <summary>Owner only: budget bytes reserved by frames in progress.</summary>
    internal long Reserved => _reserved;

    /// <summary>The length the shared array pool hands out for a request of <paramref name="bytes"/>.</summary>
    internal static int PoolSize(int bytes) => bytes <= 1 << 30 ? (int)BitOperations.RoundUpToPowerOf2((uint)bytes) : bytes;

    /// <summary>Owner only: a connection rented (positive) or returned (negative) buffer bytes.</summary>
    internal void CountBuffer(long delta)
    {
        long now = _bufferBytes + delta;
        Volatile.Write(ref _bufferBytes, now);
        if (now > _peakBufferBytes)
        {
            Volatile.Write(ref _peakBufferBytes, now);
        }
    }

    /// <summary>
    /// Owner only: reserves <paramref name="bytes"/> for <paramref name="connection"/>'s frame now, or queues it;
    /// a queued connection is granted later through <see cref="FramedConnection.OnBudgetGranted"/>.
    /// </summary>
    internal bool TryReserve(FramedConnection connection, long bytes)
    {
        if (_waiting.Count == 0 && Fits(bytes))
        {
            _reserved += bytes;
            return true;
        }

        _waiting.Enqueue(connection);
        return false;
    }

    /// <summary>Owner only: a frame finished (or its connection closed); grants waiting frames that now fit, in order.</summary>
    internal void Release(long bytes)
    {
        _reserved -= bytes;
        while (_waiting.TryPeek(out FramedConnection? next))
        {
            if (!next.IsWaitingForBudget)
            {
                // Closed while it waited.
                _waiting.Dequeue();
                continue;
            }

            if (!Fits(next.BudgetRequest))
            {
                return;
            }

            _waiting.Dequeue();
            _reserved += next.BudgetRequest;
            next.TakeBudget();

            // Resumed from the loop's queue rather than inline, so the releasing coroutine's stack never runs another
            // connection's code.
            _loop.Schedule(s_grant, next);
        }
    }

    private bool Fits(long bytes) => _reserved == 0 || _reserved + bytes <= _share;
}
