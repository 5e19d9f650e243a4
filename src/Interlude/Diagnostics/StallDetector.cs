using System.Diagnostics;

namespace Interlude.Diagnostics;

/// <summary>
/// Reports loops that make no progress for longer than a threshold: a blocking call (a lock, Thread.Sleep,
/// synchronous I/O) on a loop thread stalls every coroutine on that loop.
/// </summary>
/// <remarks>
/// Samples each loop's progress counter every quarter threshold from a timer. A loop is stalled when the counter
/// has not moved and the loop is not asleep (a sleeping loop has nothing to do). One report per stall. A loop
/// thread the OS deschedules for longer than the threshold is reported too: on an oversubscribed machine
/// that is a real delay for its coroutines as well.
/// </remarks>
internal sealed class StallDetector : IDisposable
{
    private readonly LoopGroup _group;
    private readonly long _thresholdTicks;
    private readonly Timer _timer;
    private readonly long[] _lastProgress;
    private readonly long[] _unchangedSince;
    private readonly bool[] _reported;
    private int _sampling;

    internal StallDetector(LoopGroup group, TimeSpan threshold)
    {
        _group = group;
        _thresholdTicks = (long)(threshold.TotalSeconds * Stopwatch.Frequency);
        _lastProgress = new long[group.Count];
        _unchangedSince = new long[group.Count];
        _reported = new bool[group.Count];
        TimeSpan period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, threshold.Ticks / 4));
        _timer = new Timer(static s => ((StallDetector)s!).Sample(), this, period, period);
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        if (Interlocked.Exchange(ref _sampling, 1) != 0)
        {
            return;
        }

        try
        {
            long now = Stopwatch.GetTimestamp();
            for (int i = 0; i < _group.Count; i++)
            {
                Loop loop = _group[i];
                long progress = Volatile.Read(ref loop.Counters.Progress);
                if (progress != _lastProgress[i] || loop.Parker.IsParked || loop.ExitRequested)
                {
                    _lastProgress[i] = progress;
                    _unchangedSince[i] = now;
                    _reported[i] = false;
                    continue;
                }

                long stalled = now - _unchangedSince[i];
                if (!_reported[i] && stalled >= _thresholdTicks)
                {
                    _reported[i] = true;
                    _group.ReportStall(loop, Stopwatch.GetElapsedTime(_unchangedSince[i], now));
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sampling, 0);
        }
    }
}
