using System.Threading.Tasks.Sources;
using Interlude.Loops;
using Interlude.Primitives;

namespace Interlude.Loops;

/// <summary>
/// One pending <see cref="Loop.Delay"/>: a heap entry and the awaited source at once. Pooled by its loop;
/// created, completed and recycled on the loop thread. A cancellation callback from any thread only posts
/// to the loop.
/// </summary>
internal sealed class DelayOperation : IValueTaskSource, IDueItem
{
    private static readonly Action<object?> s_cancelRequested = static s => ((DelayOperation)s!).PostCancel();
    private static readonly Action<object?> s_cancelOnLoop = static s => ((DelayOperation)s!).CancelOnLoop();

    private LoopValueTaskSourceCore<bool> _core;
    private CancellationHook _cancellation;
    private TimerQueue? _queue;
    private bool _consumed;

    public long DueTicks { get; private set; }

    /// <summary>Position in the owner's heap; -1 when not queued.</summary>
    public int HeapIndex { get; set; } = -1;

    internal short Version => _core.Version;

    internal void Start(TimerQueue queue, long dueTicks, CancellationToken cancellationToken)
    {
        _queue = queue;
        DueTicks = dueTicks;
        _consumed = false;
        _cancellation.Register(cancellationToken, s_cancelRequested, this);
    }

    /// <summary>Loop thread: the timer is due.</summary>
    internal void Fire()
    {
        _cancellation.Release();
        _core.SetResult(true);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _consumed = true;
            TimerQueue? queue = _queue;
            _queue = null;
            if (_cancellation.AllowsReuse && queue is not null && queue.Loop.IsCurrent)
            {
                _cancellation = default;
                _core.Reset();
                queue.Return(this);
            }
        }
    }

    /// <summary>Loop thread, already removed from the heap: fail the delay (shutdown).</summary>
    internal void Cancel(CancellationToken token)
    {
        _cancellation.Release();
        _core.SetException(new OperationCanceledException(token));
    }

    private void PostCancel() => _queue?.Loop.Schedule(s_cancelOnLoop, this);

    private void CancelOnLoop()
    {
        if (_core.IsCompleted || _queue is null || _consumed)
        {
            return;
        }

        _queue.Remove(this);
        Cancel(_cancellation.Token);
    }
}
