using System.Diagnostics;
using Interlude.Native;

namespace Interlude.Loops;

/// <summary>
/// Reports loops that make no progress for longer than a threshold: a blocking call (a lock, Thread.Sleep,
/// synchronous I/O, a sync-over-async wait) or a long computation on a loop thread stalls every coroutine on it.
/// </summary>
/// <remarks>
/// One background thread samples each loop's progress counter once per threshold. A loop is stalled when the
/// counter has not moved and the loop is not asleep (a sleeping loop has nothing to do). A stall is reported when
/// first seen (between two and three thresholds after it began), again each time its length has doubled while it
/// goes on, and once more when it ends, with its real length: a 50 ms block and a deadlock read differently.
///
/// Each report says what the thread did, from the kernel's per-thread scheduling counters read at the first
/// suspicious sample and at the report: mostly on a CPU (code kept the loop busy), mostly waiting for a CPU (the
/// machine descheduled it: not the application's fault) or mostly asleep (blocked in a call). Nothing is read
/// while loops make progress, so a healthy loop costs the detector one counter read per period.
///
/// Sampling this rarely matters: every sample wakes a thread, which on a small machine whose cores the loops and
/// devices keep busy means preempting one of them.
/// </remarks>
internal sealed class StallDetector : IDisposable
{
    private readonly LoopGroup _group;
    private readonly long _thresholdTicks;
    private readonly TimeSpan _period;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly Thread _thread;
    private readonly LoopWatch[] _watches;

    internal StallDetector(LoopGroup group, TimeSpan threshold)
    {
        _group = group;
        _thresholdTicks = (long)(threshold.TotalSeconds * Stopwatch.Frequency);
        _watches = new LoopWatch[group.Count];
        _period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, threshold.Ticks));
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "interlude-stalls",
        };
        _thread.Start();
    }

    /// <summary>
    /// Asks the detector's thread to end, without waiting for it: a Stalled handler that blocks must not hold a stop
    /// up. The thread ends at its next sample, or when that handler returns.
    /// </summary>
    public void Dispose() => _stop.Set();

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
            ref LoopWatch watch = ref _watches[i];
            long progress = Volatile.Read(ref loop.Counters.Progress);
            if (progress != watch.LastProgress || loop.Parker.IsParked || loop.ExitRequested)
            {
                if (watch.ReportedUntil != 0)
                {
                    // The stall is over: its real length, from its start to the sample that saw the loop move.
                    Report(loop, in watch, now, hasEnded: true);
                }

                watch = new LoopWatch { LastProgress = progress, UnchangedSince = now };
                continue;
            }

            if (!watch.HasBaseline)
            {
                // The first sample without progress: remember how the thread has been scheduled so far, to tell
                // later what it did meanwhile.
                watch.HasBaseline = true;
                watch.BaselineAt = now;
                watch.HasSchedule = ThreadSchedule.TryRead(loop.OsThreadId, out watch.OnCpuNs, out watch.WaitingNs);
            }

            // Reported from the sample after the baseline on, so the cause is measured over a real stretch of it.
            long stalled = now - watch.UnchangedSince;
            if (stalled < _thresholdTicks || now == watch.BaselineAt)
            {
                continue;
            }

            // While the stall lasts, what the thread does over it so far; the end is only seen at a later sample,
            // whose window would include time after the stall, so the end reports the last cause seen within it.
            watch.Cause = Classify(loop, in watch, now);
            if (stalled >= watch.ReportedUntil * 2)
            {
                watch.QueuedWork = loop.QueuedRemoteWork;
                Report(loop, in watch, now, hasEnded: false);
                watch.ReportedUntil = stalled;
            }
        }
    }

    private static LoopStallCause Classify(Loop loop, in LoopWatch watch, long now)
    {
        if (!watch.HasSchedule || !ThreadSchedule.TryRead(loop.OsThreadId, out long onCpuNs, out long waitingNs))
        {
            return LoopStallCause.Unknown;
        }

        double wallNs = Math.Max(1, (now - watch.BaselineAt) * (1e9 / Stopwatch.Frequency));
        double running = (onCpuNs - watch.OnCpuNs) / wallNs;
        double waiting = (waitingNs - watch.WaitingNs) / wallNs;
        return running + waiting < 0.5 ? LoopStallCause.Blocked
            : running >= waiting ? LoopStallCause.Busy
            : LoopStallCause.Descheduled;
    }

    private void Report(Loop loop, in LoopWatch watch, long now, bool hasEnded)
        => _group.ReportStall(loop, Stopwatch.GetElapsedTime(watch.UnchangedSince, now), hasEnded, watch.Cause, watch.QueuedWork);

    /// <summary>The detector's state for one loop; its thread only.</summary>
    private struct LoopWatch
    {
        public long LastProgress;
        public long UnchangedSince;

        // Set at the first sample without progress.
        public bool HasBaseline;
        public long BaselineAt;
        public bool HasSchedule;
        public long OnCpuNs;
        public long WaitingNs;

        // How long the stall was at its last report (0: not reported), the work queued for the loop then, and what
        // the thread did over the stall as of the last sample within it.
        public long ReportedUntil;
        public int QueuedWork;
        public LoopStallCause Cause;
    }
}
