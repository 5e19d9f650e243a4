using System.Diagnostics.Metrics;

namespace Interlude.Loops;

/// <summary>
/// System.Diagnostics.Metrics instruments under the meter "Interlude", named and measured after OpenTelemetry's
/// semantic conventions (docs/telemetry.md lists them). Counters are observable: they read the loops'
/// owner-written counters when a listener collects, so the loops' hot paths pay nothing for them. Offload
/// duration is a histogram recorded only while a listener has enabled it.
/// </summary>
internal static class InterludeMetrics
{
    internal const string MeterName = "Interlude";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly object s_gate = new();
    private static LoopGroup[] s_groups = [];

    /// <summary>The attribute every loop measurement carries: the loop's index in its group.</summary>
    internal const string LoopAttribute = "interlude.loop.index";

    /// <summary>The attribute of <c>interlude.coroutine.ended</c>: how the coroutine ended.</summary>
    internal const string OutcomeAttribute = "interlude.coroutine.outcome";

    // Offloads take microseconds to milliseconds: the default buckets (up to 10 s, the first at 5 ms) would put
    // nearly every one in the first.
    private static readonly double[] s_durationBuckets =
        [1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.5, 1];

    /// <summary>Offload duration, submission to reap by the loop, in seconds.</summary>
    internal static readonly Histogram<double> OffloadDuration = s_meter.CreateHistogram(
        "interlude.offload.duration",
        "s",
        "Time from an offload's submission to its reap by the submitting loop.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });

    static InterludeMetrics()
    {
        Count("interlude.coroutine.started", "{coroutine}", "Coroutines started on the loops.", static c => c.CoroutinesStarted);
        s_meter.CreateObservableCounter(
            "interlude.coroutine.ended",
            static () => CollectOutcomes(),
            "{coroutine}",
            "Coroutines that ended, by outcome: completed, faulted (an unhandled exception) or cancelled.");
        s_meter.CreateObservableUpDownCounter(
            "interlude.coroutine.active",
            static () => Collect(static loop => loop.InFlightCoroutines),
            "{coroutine}",
            "Coroutines started and not yet ended.");
        Count("interlude.offload.submitted", "{offload}", "Offloads submitted from the loops.", static c => c.OffloadsSubmitted);
        Count("interlude.offload.completed", "{offload}", "Offloads reaped by the loops, failed ones included.", static c => c.OffloadsCompleted);
        Count("interlude.offload.failed", "{offload}", "Offloads that completed with a device or work error.", static c => c.OffloadsFailed);
        Count("interlude.offload.rejected", "{offload}", "Submissions refused because the rings and the waiting queue were full.", static c => c.OffloadsRejected);
        Count("interlude.offload.shed", "{offload}", "Waiting submissions failed to make room for newer ones.", static c => c.OffloadsShed);
        Count("interlude.offload.backpressure_wait", "{wait}", "Submissions that waited for ring space.", static c => c.BackpressureWaits);
        s_meter.CreateObservableUpDownCounter(
            "interlude.offload.queue.length",
            static () => Collect(static loop => (long)loop.Completions.Waiting),
            "{offload}",
            "Submissions waiting for ring space.");
        Count("interlude.dispatch.rejected", "{event}", "Keyed events refused because their key's or their loop's bound was reached.", static c => c.DispatchRejected);
        Count("interlude.dispatch.shed", "{event}", "Keyed events shed to make room for newer ones.", static c => c.DispatchShed);
        Count("interlude.dispatch.wait", "{wait}", "Keyed dispatches that waited for room.", static c => c.DispatchWaits);
        s_meter.CreateObservableUpDownCounter(
            "interlude.dispatch.queue.length",
            static () => Collect(static loop => Volatile.Read(ref loop.Counters.DispatchQueued)),
            "{event}",
            "Keyed events waiting in their key's queue.");
        Count("interlude.loop.sleep", "{sleep}", "Times a loop went to sleep.", static c => c.Sleeps);
        Count("interlude.loop.wake", "{wake}", "Times a sleeping loop was woken by a notification (not a timeout).", static c => c.NotifiedWakes);
        s_meter.CreateObservableGauge(
            "interlude.loop.utilization",
            static () => Collect(static loop => LoopStatistics.ComputeBusyFraction(loop.Counters)),
            "1",
            "Share of a loop's time spent running work rather than idling or sleeping.");
    }

    internal static void Register(LoopGroup group)
    {
        lock (s_gate)
        {
            s_groups = [.. s_groups, group];
        }
    }

    internal static void Unregister(LoopGroup group)
    {
        lock (s_gate)
        {
            s_groups = Array.FindAll(s_groups, g => g != group);
        }
    }

    private static void Count(string name, string unit, string description, Func<LoopStatisticsSource, long> read)
        => s_meter.CreateObservableCounter(name, () => Collect(loop => read(new LoopStatisticsSource(loop.Counters))), unit, description);

    private static IEnumerable<Measurement<T>> Collect<T>(Func<Loop, T> read)
        where T : struct
    {
        foreach (LoopGroup group in Volatile.Read(ref s_groups))
        {
            foreach (Loop loop in group.Loops)
            {
                yield return new Measurement<T>(read(loop), new KeyValuePair<string, object?>(LoopAttribute, loop.Index));
            }
        }
    }

    private static IEnumerable<Measurement<long>> CollectOutcomes()
    {
        foreach (LoopGroup group in Volatile.Read(ref s_groups))
        {
            foreach (Loop loop in group.Loops)
            {
                var counters = new LoopStatisticsSource(loop.Counters);
                var index = new KeyValuePair<string, object?>(LoopAttribute, loop.Index);
                yield return new Measurement<long>(counters.CoroutinesCompleted, index, new KeyValuePair<string, object?>(OutcomeAttribute, "completed"));
                yield return new Measurement<long>(counters.CoroutinesFaulted, index, new KeyValuePair<string, object?>(OutcomeAttribute, "faulted"));
                yield return new Measurement<long>(counters.CoroutinesCancelled, index, new KeyValuePair<string, object?>(OutcomeAttribute, "cancelled"));
            }
        }
    }

    /// <summary>Volatile reads of one loop's counters for the observable instruments.</summary>
    private readonly struct LoopStatisticsSource(LoopCounters counters)
    {
        public long CoroutinesStarted => Volatile.Read(ref counters.CoroutinesStarted);

        public long CoroutinesCompleted => Volatile.Read(ref counters.CoroutinesCompleted);

        public long CoroutinesFaulted => Volatile.Read(ref counters.CoroutinesFaulted);

        public long CoroutinesCancelled => Volatile.Read(ref counters.CoroutinesCancelled);

        public long OffloadsSubmitted => Volatile.Read(ref counters.OffloadsSubmitted);

        public long OffloadsCompleted => Volatile.Read(ref counters.OffloadsCompleted);

        public long OffloadsFailed => Volatile.Read(ref counters.OffloadsFailed);

        public long BackpressureWaits => Volatile.Read(ref counters.BackpressureWaits);

        public long OffloadsRejected => Volatile.Read(ref counters.OffloadsRejected);

        public long OffloadsShed => Volatile.Read(ref counters.OffloadsShed);

        public long DispatchRejected => Volatile.Read(ref counters.DispatchRejected.Value);

        public long DispatchShed => Volatile.Read(ref counters.DispatchShed.Value);

        public long DispatchWaits => Volatile.Read(ref counters.DispatchWaits);

        public long Sleeps => Volatile.Read(ref counters.Sleeps);

        public long NotifiedWakes => Volatile.Read(ref counters.NotifiedWakes);
    }
}
