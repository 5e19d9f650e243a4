using Interlude.Primitives;

namespace Interlude.Loops;

/// <summary>
/// Per-loop counters. Every field is written only by the owning loop thread, with plain increments, and read
/// by any thread (metrics, statistics, the stall detector) with <c>Volatile.Read</c>: a reader
/// may see a slightly old value, never a torn one. The object is separate from the loop so the counters'
/// lines are not shared with fields other threads write. The exceptions, marked, are padded to lines of their
/// own and written with interlocked instructions.
/// </summary>
internal sealed class LoopCounters
{
    /// <summary>Bumped once per loop iteration and per step; unchanged while one step runs (stall detection).</summary>
    internal long Progress;
    internal long ItemsRun;
    internal long CoroutinesStarted;
    internal long CoroutinesCompleted;
    internal long CoroutinesFaulted;
    internal long CoroutinesCancelled;
    internal long OffloadsSubmitted;
    internal long OffloadsCompleted;
    internal long OffloadsFailed;
    internal long OffloadsCancelled;
    internal long BackpressureWaits;
    internal long OffloadsRejected;
    internal long OffloadsShed;
    internal long Sleeps;
    internal long NotifiedWakes;
    internal long IdleTicks;
    internal long IdleSince;
    internal long StartedAt;

    /// <summary>When the loop last submitted an offload (ticks): the adaptive policy's expected-completion anchor.</summary>
    internal long LastSubmitAt;

    /// <summary>Keyed events waiting in their key's queue on this loop now, every dispatcher's together.</summary>
    internal long DispatchQueued;

    /// <summary>Keyed dispatches that waited for room (<c>DispatchAsync</c> calls that did not complete at once).</summary>
    internal long DispatchWaits;

    /// <summary>
    /// Keyed events refused for want of room. Written with <see cref="Interlocked"/> by whichever thread refused
    /// the event (the dispatching thread, or this loop); read by any thread.
    /// </summary>
    internal PaddedInt64 DispatchRejected;

    /// <summary>
    /// Keyed events shed under <c>DispatchOverflow.ShedOldest</c>. Written with <see cref="Interlocked"/> by this
    /// loop, or by a dispatching thread that found the loop full; read by any thread.
    /// </summary>
    internal PaddedInt64 DispatchShed;
}
