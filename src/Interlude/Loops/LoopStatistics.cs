using System.Diagnostics;

namespace Interlude;

/// <summary>A snapshot of one loop's counters (each read atomically; together only approximately consistent).</summary>
/// <param name="LoopIndex">The loop's position in its group.</param>
/// <param name="Core">The core the loop was asked to run on; null when unpinned.</param>
/// <param name="IsPinned">Whether the OS accepted the pinning.</param>
/// <param name="ItemsRun">Work items run (coroutine steps, posted callbacks).</param>
/// <param name="CoroutinesStarted">Coroutines started on the loop.</param>
/// <param name="CoroutinesCompleted">Coroutines that ended normally.</param>
/// <param name="CoroutinesFaulted">Coroutines that ended with an unhandled exception.</param>
/// <param name="CoroutinesCancelled">
/// Coroutines that ended with <see cref="OperationCanceledException"/>, and keyed events shed after they were
/// queued (each had been counted as a coroutine started).
/// </param>
/// <param name="CoroutinesInFlight">Coroutines started and not yet ended.</param>
/// <param name="OffloadsSubmitted">Offloads submitted from the loop.</param>
/// <param name="OffloadsCompleted">Offloads reaped (completed by the device, or refused before reaching it).</param>
/// <param name="OffloadsFailed">Offloads that completed with an error.</param>
/// <param name="OffloadsCancelled">Offloads whose awaiter was cancelled.</param>
/// <param name="BackpressureWaits">Submissions that waited for ring space.</param>
/// <param name="Sleeps">Times the loop went to sleep.</param>
/// <param name="NotifiedWakes">Times a sleeping loop was woken by a notification (not a timeout).</param>
/// <param name="BusyFraction">Share of the loop's life spent running work.</param>
/// <param name="OffloadsRejected">Submissions refused because the rings and the waiting queue were full.</param>
/// <param name="OffloadsShed">Waiting submissions failed to make room for newer ones.</param>
/// <param name="QueuedSubmissions">Submissions waiting for ring space now.</param>
/// <param name="DispatchRejected">
/// Keyed events refused because their key's or their loop's bound was reached (<see cref="KeyedDispatcher{TKey, TEvent}.Dispatch"/>
/// threw <see cref="DispatchOverloadedException"/> or <see cref="KeyedDispatcher{TKey, TEvent}.TryDispatch"/> returned false).
/// </param>
/// <param name="DispatchShed">Keyed events shed under <see cref="DispatchOverflow.ShedOldest"/>: given to the shed callback, never handled.</param>
/// <param name="DispatchWaits">Calls to <see cref="KeyedDispatcher{TKey, TEvent}.DispatchAsync"/> that waited for room.</param>
/// <param name="DispatchQueued">Keyed events waiting in their key's queue on the loop now, over every dispatcher.</param>
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
    double BusyFraction,
    long OffloadsRejected,
    long OffloadsShed,
    int QueuedSubmissions,
    long DispatchRejected,
    long DispatchShed,
    long DispatchWaits,
    long DispatchQueued)
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
            ComputeBusyFraction(c),
            Volatile.Read(ref c.OffloadsRejected),
            Volatile.Read(ref c.OffloadsShed),
            loop.Completions.Waiting,
            Volatile.Read(ref c.DispatchRejected.Value),
            Volatile.Read(ref c.DispatchShed.Value),
            Volatile.Read(ref c.DispatchWaits),
            Volatile.Read(ref c.DispatchQueued));
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
