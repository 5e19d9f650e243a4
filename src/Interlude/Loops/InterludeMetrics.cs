using System.Diagnostics.Metrics;

namespace Interlude.Loops;

/// <summary>
/// System.Diagnostics.Metrics instruments under the meter "Interlude". Counters are observable: they read the
/// loops' owner-written counters when a listener collects, so the loops' hot paths pay nothing for them.
/// Completion latency is a histogram recorded only while a listener has enabled it.
/// </summary>
internal static class InterludeMetrics
{
    internal const string MeterName = "Interlude";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly object s_gate = new();
    private static LoopGroup[] s_groups = [];

    /// <summary>Offload completion latency, submit to reap, in microseconds.</summary>
    internal static readonly Histogram<double> OffloadLatency =
        s_meter.CreateHistogram<double>("interlude.offload.latency", "us", "Offload completion latency, submit to reap.");

    static InterludeMetrics()
    {
        Observe("interlude.coroutines.started", "Coroutines started.", static c => c.CoroutinesStarted);
        Observe("interlude.coroutines.completed", "Coroutines that ended normally.", static c => c.CoroutinesCompleted);
        Observe("interlude.coroutines.faulted", "Coroutines that ended with an unhandled exception.", static c => c.CoroutinesFaulted);
        Observe("interlude.coroutines.cancelled", "Coroutines that ended with OperationCanceledException.", static c => c.CoroutinesCancelled);
        Observe("interlude.offloads.submitted", "Offloads submitted from loops.", static c => c.OffloadsSubmitted);
        Observe("interlude.offloads.completed", "Offloads reaped by loops.", static c => c.OffloadsCompleted);
        Observe("interlude.offloads.failed", "Offloads that completed with a device or work error.", static c => c.OffloadsFailed);
        Observe("interlude.offloads.backpressure_waits", "Submissions that waited for ring space.", static c => c.BackpressureWaits);
        Observe("interlude.offloads.rejected", "Submissions refused because the rings and the waiting queue were full.", static c => c.OffloadsRejected);
        Observe("interlude.offloads.shed", "Waiting submissions failed to make room for newer ones.", static c => c.OffloadsShed);
        s_meter.CreateObservableGauge(
            "interlude.offloads.queued",
            static () => Collect(static loop => loop.Completions.Waiting),
            unit: null,
            description: "Submissions waiting for ring space.");
        Observe("interlude.dispatch.rejected", "Keyed events refused because their key's or their loop's bound was reached.", static c => c.DispatchRejected);
        Observe("interlude.dispatch.shed", "Keyed events shed to make room for newer ones.", static c => c.DispatchShed);
        Observe("interlude.dispatch.waits", "Keyed dispatches that waited for room.", static c => c.DispatchWaits);
        s_meter.CreateObservableGauge(
            "interlude.dispatch.queued",
            static () => Collect(static loop => Volatile.Read(ref loop.Counters.DispatchQueued)),
            unit: null,
            description: "Keyed events waiting in their key's queue.");
        Observe("interlude.loop.sleeps", "Times a loop went to sleep.", static c => c.Sleeps);
        Observe("interlude.loop.wakes", "Times a sleeping loop was woken by a notification.", static c => c.NotifiedWakes);
        s_meter.CreateObservableGauge(
            "interlude.loop.busy_fraction",
            static () => Collect(static loop => LoopStatistics.ComputeBusyFraction(loop.Counters)),
            unit: null,
            description: "Share of a loop's time spent running work.");
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

    private static void Observe(string name, string description, Func<LoopStatisticsSource, long> read)
        => s_meter.CreateObservableCounter(name, () => Collect(loop => read(new LoopStatisticsSource(loop.Counters))), unit: null, description);

    private static IEnumerable<Measurement<T>> Collect<T>(Func<Loop, T> read)
        where T : struct
    {
        foreach (LoopGroup group in Volatile.Read(ref s_groups))
        {
            foreach (Loop loop in group.Loops)
            {
                yield return new Measurement<T>(read(loop), new KeyValuePair<string, object?>("loop", loop.Index));
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
