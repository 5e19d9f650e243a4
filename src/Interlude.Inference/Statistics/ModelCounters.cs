using System.Diagnostics;

namespace Interlude.Inference;

/// <summary>
/// A model's running totals. Written with interlocked operations, by the device threads (what happened on the
/// device: requests taken, batches run, queue delays, run time, outcomes) and by the callers' threads (end-to-end
/// latency, once a caller has its result); read by anyone taking a snapshot, which may be a few requests behind.
/// </summary>
internal sealed class ModelCounters
{
    private readonly long[] _batchSizes;
    private long _queued;
    private long _completed;
    private long _failed;
    private long _cancelled;
    private long _batches;
    private long _queueDelayTicks;
    private long _maxQueueDelayTicks;
    private long _runTicks;
    private long _latencySamples;
    private long _latencyTicks;
    private long _maxLatencyTicks;

    public ModelCounters(int maxBatchSize) => _batchSizes = new long[maxBatchSize + 1];

    /// <summary>Device thread: a request was taken and waits for its batch.</summary>
    public void Queued() => Interlocked.Increment(ref _queued);

    /// <summary>Device thread: queued requests left the queue without running (cancelled, or the device stopped).</summary>
    public void Dropped(int count, bool cancelled)
    {
        Interlocked.Add(ref _queued, -count);
        if (cancelled)
        {
            Interlocked.Add(ref _cancelled, count);
        }
    }

    /// <summary>Device thread: a batch of <paramref name="requests"/> is about to run.</summary>
    public void BatchStarted(int requests)
    {
        Interlocked.Add(ref _queued, -requests);
        Interlocked.Increment(ref _batches);
        Interlocked.Increment(ref _batchSizes[Math.Min(requests, _batchSizes.Length - 1)]);
    }

    /// <summary>Device thread: one request's wait from submission to the start of its run.</summary>
    public void QueueDelay(long ticks)
    {
        Interlocked.Add(ref _queueDelayTicks, ticks);
        Max(ref _maxQueueDelayTicks, ticks);
    }

    /// <summary>Device thread: a batch ran for <paramref name="ticks"/>; so many of its requests got a result or an error.</summary>
    public void BatchFinished(long ticks, int completed, int failed)
    {
        Interlocked.Add(ref _runTicks, ticks);
        Interlocked.Add(ref _completed, completed);
        Interlocked.Add(ref _failed, failed);
    }

    /// <summary>Caller's thread: a request's result reached its caller <paramref name="ticks"/> after it was made.</summary>
    public void Latency(long ticks)
    {
        Interlocked.Increment(ref _latencySamples);
        Interlocked.Add(ref _latencyTicks, ticks);
        Max(ref _maxLatencyTicks, ticks);
    }

    public InferenceModelStatistics Snapshot(string model)
    {
        long[] sizes = new long[_batchSizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            sizes[i] = Interlocked.Read(ref _batchSizes[i]);
        }

        return new InferenceModelStatistics(
            model,
            Interlocked.Read(ref _queued),
            Interlocked.Read(ref _completed),
            Interlocked.Read(ref _failed),
            Interlocked.Read(ref _cancelled),
            Interlocked.Read(ref _batches),
            sizes,
            Ticks(Interlocked.Read(ref _queueDelayTicks)),
            Ticks(Interlocked.Read(ref _maxQueueDelayTicks)),
            Ticks(Interlocked.Read(ref _runTicks)),
            Interlocked.Read(ref _latencySamples),
            Ticks(Interlocked.Read(ref _latencyTicks)),
            Ticks(Interlocked.Read(ref _maxLatencyTicks)));
    }

    private static TimeSpan Ticks(long stopwatchTicks) => TimeSpan.FromSeconds(stopwatchTicks / (double)Stopwatch.Frequency);

    private static void Max(ref long location, long value)
    {
        long seen = Interlocked.Read(ref location);
        while (value > seen)
        {
            long previous = Interlocked.CompareExchange(ref location, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
