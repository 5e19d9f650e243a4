using System.Diagnostics;

namespace Interlude.Loops;

/// <summary>
/// Reports loops that make no progress for longer than a threshold: a blocking call (a lock, Thread.Sleep,
/// synchronous I/O) on a loop thread stalls every coroutine on that loop.
/// </summary>
/// <remarks>
/// One background thread samples each loop's progress counter once per threshold. A loop is stalled when the
/// counter has not moved and the loop is not asleep (a sleeping loop has nothing to do); a stall is reported once,
/// between one and two thresholds after it began. Sampling this rarely matters: every sample wakes a thread,
/// which on a small machine whose cores the loops and devices keep busy means preempting one of them. A loop
/// thread the OS deschedules for longer than the threshold is reported too: on an oversubscribed machine that is
/// a real delay for its coroutines as well.
/// </remarks>
internal sealed class StallDetector : IDisposable
{
    private readonly LoopGroup _group;
    private readonly long _thresholdTicks;
    private readonly TimeSpan _period;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly Thread _thread;
    private readonly long[] _lastProgress;
    private readonly long[] _unchangedSince;
    private readonly bool[] _reported;

    internal StallDetector(LoopGroup group, TimeSpan threshold)
    {
        _group = group;
        _thresholdTicks = (long)(threshold.TotalSeconds * Stopwatch.Frequency);
        _lastProgress = new long[group.Count];
        _unchangedSince = new long[group.Count];
        _reported = new bool[group.Count];
        _period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, threshold.Ticks));
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "interlude-stalls",
        };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(_period))
        {
            Sample();
        }
    }

    private void Sample()
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
}
