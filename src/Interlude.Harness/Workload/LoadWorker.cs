using System.Diagnostics;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Workload;

/// <summary>
/// One request in flight of a closed loop: issues a request, records its latency, issues the next at once,
/// until the phase says stop or its request limit is reached. Worker <c>i</c> of <c>n</c> serves request
/// indices i, i + n, i + 2n, ..., so the workers together serve each index once. Each worker owns its
/// histogram and checksum, so recording needs no synchronisation.
/// Given an <see cref="ArrivalSchedule"/> instead, it is one of an open loop's N servers: it takes the next
/// arrival, waits through its port until that arrival is due, serves it, and records its latency from the
/// scheduled arrival, so a backlog shows as latency rather than as fewer requests.
/// </summary>
/// <remarks>
/// <see cref="Latency"/>, <see cref="Checksum"/> and <see cref="Completed"/> are written by whichever thread runs
/// the worker and read by the controlling thread only after <see cref="RunAsync"/> has completed (the task's
/// completion orders the reads after the writes).
/// </remarks>
public sealed class LoadWorker
{
    private readonly IRequestHandler _handler;
    private readonly LoadPhase _phase;
    private readonly int _index;
    private readonly int _stride;
    private readonly long _requestLimit;
    private readonly ArrivalSchedule? _arrivals;

    /// <param name="index">This worker's number, from 0.</param>
    /// <param name="count">How many workers share the request indices.</param>
    /// <param name="requestLimit">Requests after which the worker ends whatever the phase.</param>
    public LoadWorker(IRequestHandler handler, LoadPhase phase, int index = 0, int count = 1, long requestLimit = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        ArgumentOutOfRangeException.ThrowIfNegative(requestLimit);
        _handler = handler;
        _phase = phase;
        _index = index;
        _stride = count;
        _requestLimit = requestLimit;
    }

    /// <summary>An open loop's server: serves arrivals from <paramref name="arrivals"/>, shared with the others.</summary>
    public LoadWorker(IRequestHandler handler, LoadPhase phase, ArrivalSchedule arrivals)
        : this(handler, phase)
    {
        _arrivals = arrivals;
    }

    /// <summary>Latencies of the requests completed while measuring, in Stopwatch ticks.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Sum (mod 2^64) of the handler's results over every request this worker completed, warm-up included.</summary>
    public ulong Checksum { get; private set; }

    /// <summary>Requests this worker completed, warm-up included.</summary>
    public long Completed { get; private set; }

    public ValueTask RunAsync(IOffloadPort port) => _arrivals is null ? RunClosedAsync(port) : RunOpenAsync(port, _arrivals);

    private async ValueTask RunClosedAsync(IOffloadPort port)
    {
        ulong checksum = 0;
        long completed = 0;
        try
        {
            // Back to back: a request's end is the next one's start, one clock read per request.
            long start = Stopwatch.GetTimestamp();
            while (completed < _requestLimit)
            {
                long requestIndex = _index + (completed * _stride);

                // The harness needs no context of its own: without ConfigureAwait(false) the handler's completion
                // would be posted back to the captured context (one queue hop and one allocation per request)
                // instead of continuing on the thread that completed it, which already is the right one.
                checksum += await _handler.HandleAsync(port, requestIndex).ConfigureAwait(false);
                completed++;
                long end = Stopwatch.GetTimestamp();
                int phase = _phase.Current;
                if (phase == LoadPhase.Measuring)
                {
                    Latency.Record(end - start);
                }
                else if (phase == LoadPhase.Stopped)
                {
                    return;
                }

                start = end;
            }
        }
        finally
        {
            Checksum = checksum;
            Completed = completed;
        }
    }

    private async ValueTask RunOpenAsync(IOffloadPort port, ArrivalSchedule arrivals)
    {
        ulong checksum = 0;
        long completed = 0;
        try
        {
            while (_phase.Current != LoadPhase.Stopped && arrivals.TryTake(out long index, out long due))
            {
                long early = due - Stopwatch.GetTimestamp();
                if (early > 0)
                {
                    await port.ArriveAsync(Stopwatch.GetElapsedTime(0, early)).ConfigureAwait(false);
                }

                checksum += await _handler.HandleAsync(port, index).ConfigureAwait(false);
                completed++;
                if (index >= arrivals.MeasuredFrom)
                {
                    // From the scheduled arrival, not from when a server got to it: waiting for a free server is
                    // part of the latency an open loop measures.
                    Latency.Record(Stopwatch.GetTimestamp() - due);
                }
            }
        }
        finally
        {
            Checksum = checksum;
            Completed = completed;
        }
    }
}
