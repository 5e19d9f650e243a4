using System.Threading.Tasks.Sources;
using Interlude;

namespace CustomDevice;

/// <summary>
/// One submission awaited on a loop: a pooled <see cref="IValueTaskSource"/> whose completion resumes the awaiting
/// coroutine inline, because the loop that submitted it is the loop that completes it (from the queue's poller).
/// </summary>
internal sealed class FlagOperation : IValueTaskSource
{
    private LoopValueTaskSourceCore<bool> _core;
    private FlagQueue? _queue;

    /// <summary>Loop thread: how long the device holds it, in Stopwatch ticks.</summary>
    internal long ServiceTicks { get; private set; }

    /// <summary>Loop thread: fills it in for a new submission and hands out its awaitable.</summary>
    internal ValueTask Start(FlagQueue queue, long serviceTicks)
    {
        _queue = queue;
        ServiceTicks = serviceTicks;

        // Completed only on this loop and awaited there: no locked instruction on either side.
        _core.CompletesOn = queue.Loop;
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Loop thread: the device is done with it.</summary>
    internal void Complete() => _core.SetResult(true);

    /// <summary>Loop thread: it will never complete (the device or the loop went away).</summary>
    internal void Fail(Exception error) => _core.SetException(error);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token)
    {
        // A stale token or an early call throws and must leave the operation as it is.
        bool consumed = _core.IsCompleted && token == _core.Version;
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            if (consumed)
            {
                Recycle();
            }
        }
    }

    private void Recycle()
    {
        FlagQueue? queue = _queue;
        _queue = null;
        _core.Reset();
        if (queue is not null && queue.Loop.IsCurrent)
        {
            queue.Return(this);
        }
    }
}
