using System.Diagnostics;
using Interlude.Primitives;

namespace Interlude.Loops;

/// <summary>
/// The loop's timer driver: a min-heap of delays by due time. Owner loop only.
/// The loop bounds its sleep by <see cref="NextDueTicks"/>, so timers need no thread of their own.
/// </summary>
internal sealed class TimerQueue : ILoopDriver
{
    private const int PoolLimit = 1024;

    private readonly Stack<DelayOperation> _pool = new();
    private readonly DueHeap<DelayOperation> _heap = new();

    internal TimerQueue(Loop loop) => Loop = loop;

    internal Loop Loop { get; }

    /// <summary>Due time of the earliest timer in Stopwatch ticks, or long.MaxValue when none.</summary>
    internal long NextDueTicks => _heap.NextDueTicks;

    internal ValueTask Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (delay == TimeSpan.Zero)
        {
            return ValueTask.CompletedTask;
        }

        long due = delay == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        DelayOperation op = _pool.Count > 0 ? _pool.Pop() : new DelayOperation();
        op.Start(this, due, cancellationToken);
        _heap.Push(op);
        return new ValueTask(op, op.Version);
    }

    public bool Poll()
    {
        if (_heap.Count == 0)
        {
            return false;
        }

        long now = Stopwatch.GetTimestamp();
        bool fired = false;
        while (_heap.Count > 0 && _heap.NextDueTicks <= now)
        {
            _heap.Pop().Fire();
            fired = true;
        }

        return fired;
    }

    public bool TryEnterInterruptMode() => _heap.NextDueTicks > Stopwatch.GetTimestamp();

    public void ExitInterruptMode()
    {
    }

    /// <summary>Fails every pending delay with <see cref="OperationCanceledException"/> (shutdown).</summary>
    public int CancelPending(CancellationToken token)
    {
        int cancelled = 0;
        while (_heap.Count > 0)
        {
            _heap.Pop().Cancel(token);
            cancelled++;
        }

        return cancelled;
    }

    /// <summary>Nothing to release: a delay still pending when its loop exits is never completed, like any other work left on it.</summary>
    public void OnRemoved()
    {
    }

    internal void Remove(DelayOperation op) => _heap.Remove(op);

    internal void Return(DelayOperation op)
    {
        if (_pool.Count < PoolLimit)
        {
            _pool.Push(op);
        }
    }
}
