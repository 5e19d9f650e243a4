using System.Diagnostics;

namespace Interlude;

/// <summary>A snapshot of one loop's counters (each read atomically; together only approximately consistent).</summary>
public readonly record struct LoopStatistics(
    int LoopIndex,
    int? Core,
    bool IsPinned,
    long ItemsRun,
    long CoroutinesStarted,
    long CoroutinesCompleted,
    long CoroutinesFaulted,
    long CoroutinesCancelled,
    long CoroutinesInFlight,
    long OffloadsSubmitted,
    long OffloadsCompleted,
    long OffloadsFailed,
    long OffloadsCancelled,
    long BackpressureWaits,
    long Sleeps,
    long NotifiedWakes,
    double BusyFraction)
{
    internal static LoopStatistics Read(Loop loop, long inFlight)
    {
        Loops.LoopCounters c = loop.Counters;
        return new LoopStatistics(
            loop.Index,
            loop.Core,
            loop.IsPinned,
            Volatile.Read(ref c.ItemsRun),
            Volatile.Read(ref c.CoroutinesStarted) + loop.RemoteSpawns,
            Volatile.Read(ref c.CoroutinesCompleted),
            Volatile.Read(ref c.CoroutinesFaulted),
            Volatile.Read(ref c.CoroutinesCancelled),
            inFlight,
            Volatile.Read(ref c.OffloadsSubmitted),
            Volatile.Read(ref c.OffloadsCompleted),
            Volatile.Read(ref c.OffloadsFailed),
            Volatile.Read(ref c.OffloadsCancelled),
            Volatile.Read(ref c.BackpressureWaits),
            Volatile.Read(ref c.Sleeps),
            Volatile.Read(ref c.NotifiedWakes),
            ComputeBusyFraction(c));
    }

    /// <summary>Share of the loop's life spent running work rather than spinning idle or sleeping.</summary>
    internal static double ComputeBusyFraction(Loops.LoopCounters c)
    {
        long started = Volatile.Read(ref c.StartedAt);
        if (started == 0)
        {
            return 0;
        }

        long now = Stopwatch.GetTimestamp();
        long idle = Volatile.Read(ref c.IdleTicks);
        long idleSince = Volatile.Read(ref c.IdleSince);
        if (idleSince != 0 && idleSince <= now)
        {
            idle += now - idleSince;
        }

        long life = now - started;
        return life <= 0 ? 0 : Math.Clamp(1.0 - ((double)idle / life), 0, 1);
    }
}
