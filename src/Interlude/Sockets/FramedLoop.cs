using System.Diagnostics;
using System.Numerics;

namespace Interlude.Sockets;

/// <summary>
/// A framed server's state on one loop: its connections and the heartbeat that enforces their timeouts, that
/// loop's share of the large-frame memory budget and the connections waiting for it, and what the loop's
/// connections hold in buffers.
/// </summary>
/// <remarks>
/// Thread rules: created on its loop by the first connection there, and touched only by that loop, so it needs
/// no lock or atomic. Other threads read the buffer statistics with <see cref="Volatile"/> (tests, diagnostics).
/// Heartbeat: while the loop has connections, a timer on the loop's own timer queue (no thread) wakes every
/// <see cref="FramedTimeouts.Interval"/>, advances <see cref="Now"/> and asks each connection to check its
/// limits. Connections stamp their events with <see cref="Now"/> (a field read, not a clock read); the slack in
/// <see cref="FramedTimeouts"/> covers its age. The heartbeat is not a coroutine: a group's drain waits for
/// connections, never for it.
/// Budget: a frame larger than the base receive buffer reserves its whole buffer size once its bytes have filled
/// the base buffer (its memory is still only rented as more bytes come in), so a header alone reserves nothing.
/// Reservations are granted in arrival order; one that does not fit waits, its connection unread, until earlier
/// frames finish. A loop with no reservation always grants the next one, whatever its size, so every frame up to
/// the frame size limit makes progress. Frames that fit the base buffer never reserve and never wait.
/// </remarks>
internal sealed class FramedLoop
{
    private static readonly Action<object?> s_grant = static c => ((FramedConnection)c!).OnBudgetGranted();

    private readonly Loop _loop;
    private readonly long _share;
    private readonly FramedTimeouts _timeouts;
    private readonly Queue<FramedConnection> _waiting = new();
    private readonly List<FramedConnection> _connections = [];
    private long _reserved;
    private bool _heartbeatRunning;

    // Owner writes; any thread may read (Volatile) for statistics.
    private long _bufferBytes;
    private long _peakBufferBytes;

    internal FramedLoop(Loop loop, long share, FramedTimeouts timeouts)
    {
        _loop = loop;
        _share = share;
        _timeouts = timeouts;
        Now = Stopwatch.GetTimestamp();
    }

    /// <summary>Owner only: the heartbeat's clock, in Stopwatch ticks; at most one interval old.</summary>
    internal long Now { get; private set; }

    /// <summary>Any thread: receive and send buffer bytes this loop's connections hold now.</summary>
    internal long BufferBytes => Volatile.Read(ref _bufferBytes);

    /// <summary>Any thread: the most buffer bytes this loop's connections ever held at once.</summary>
    internal long PeakBufferBytes => Volatile.Read(ref _peakBufferBytes);

    /// <summary>The length the shared array pool hands out for a request of <paramref name="bytes"/>.</summary>
    internal static int PoolSize(int bytes) => bytes <= 1 << 30 ? (int)BitOperations.RoundUpToPowerOf2((uint)bytes) : bytes;

    /// <summary>Owner only: tracks a new connection's timeouts, starting the heartbeat if it is not running.</summary>
    internal void Register(FramedConnection connection)
    {
        Now = Stopwatch.GetTimestamp();
        if (!_timeouts.Enabled)
        {
            return;
        }

        connection.RegistryIndex = _connections.Count;
        _connections.Add(connection);
        if (!_heartbeatRunning)
        {
            _heartbeatRunning = true;
            _ = HeartbeatAsync();
        }
    }

    /// <summary>Owner only: a closed connection leaves the registry.</summary>
    internal void Unregister(FramedConnection connection)
    {
        int index = connection.RegistryIndex;
        if (index < 0)
        {
            return;
        }

        FramedConnection last = _connections[^1];
        _connections[index] = last;
        last.RegistryIndex = index;
        _connections.RemoveAt(_connections.Count - 1);
        connection.RegistryIndex = -1;
    }

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

    private async Task HeartbeatAsync()
    {
        try
        {
            while (_connections.Count > 0)
            {
                await _loop.Delay(_timeouts.Interval);
                long now = Stopwatch.GetTimestamp();
                Now = now;

                // Downwards: a connection closed here swaps the last one into its place, which was already checked.
                for (int i = _connections.Count - 1; i >= 0; i--)
                {
                    if (i < _connections.Count)
                    {
                        _connections[i].CheckTimeouts(now, _timeouts);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The group is stopping; its shutdown closes the connections.
        }
        catch (Exception ex)
        {
            _loop.Group.ReportFault(_loop, ex, FaultSource.Coroutine);
        }
        finally
        {
            _heartbeatRunning = false;
        }
    }
}
