using System.Threading.Tasks.Sources;
using Interlude.Loops;
using Interlude.Primitives;

namespace Interlude.Ordering;

/// <summary>
/// A coroutine parked on an <see cref="AsyncLock"/>. The queue links belong to the lock (under its gate). The
/// grant is delivered through the waiter's own loop's run queue, never inline on the releasing coroutine's stack,
/// so a chain of hand-overs cannot grow the stack. Pooled per loop thread.
/// </summary>
internal sealed class LockWaiter : IValueTaskSource<AsyncLock.Releaser>
{
    private const int PoolLimit = 256;

    private static readonly Action<object?> s_grantOnLoop = static s => ((LockWaiter)s!).CompleteGrant();
    private static readonly Action<object?> s_cancelRequested = static s => ((LockWaiter)s!).OnCancelRequested();
    private static readonly Action<object?> s_cancelOnLoop = static s => ((LockWaiter)s!).Fail();

    [ThreadStatic]
    private static Stack<LockWaiter>? t_pool;

    private LoopValueTaskSourceCore<AsyncLock.Releaser> _core;
    private AsyncLock? _lock;
    private Loop? _loop;
    private CancellationHook _cancellation;
    private AsyncLock.Releaser _grant;

    // 0 until the first of grant and cancellation claims the outcome.
    private int _claimed;

    // Guarded by the lock's gate.
    internal LockWaiter? Previous;
    internal LockWaiter? Next;
    internal bool IsQueued;

    internal short Version => _core.Version;

    /// <summary>Caller holds the lock's gate.</summary>
    internal static LockWaiter Rent(AsyncLock owner)
    {
        Loop? loop = Loop.Current;
        LockWaiter waiter = loop is not null && t_pool is { Count: > 0 } pool ? pool.Pop() : new LockWaiter();
        waiter._lock = owner;
        waiter._loop = loop;
        return waiter;
    }

    internal void RegisterCancellation(CancellationToken token)
    {
        _cancellation.Register(token, s_cancelRequested, this);
    }

    /// <summary>Releasing thread: this waiter now owns the lock.</summary>
    internal void Grant(AsyncLock.Releaser releaser)
    {
        _grant = releaser;
        if (_loop is { } loop)
        {
            loop.Schedule(s_grantOnLoop, this);
        }
        else
        {
            CompleteGrant();
        }
    }

    AsyncLock.Releaser IValueTaskSource<AsyncLock.Releaser>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Recycle();
        }
    }

    ValueTaskSourceStatus IValueTaskSource<AsyncLock.Releaser>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<AsyncLock.Releaser>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    private void CompleteGrant()
    {
        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            // Cancellation won, but the lock was already ours: pass it on rather than leak it.
            _grant.Dispose();
            return;
        }

        _cancellation.Release();
        _core.SetResult(_grant);
    }

    private void OnCancelRequested()
    {
        if (!_lock!.TryWithdraw(this))
        {
            return; // Already granted: the grant completes it.
        }

        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            return;
        }

        if (_loop is { } loop)
        {
            loop.Schedule(s_cancelOnLoop, this);
        }
        else
        {
            Fail();
        }
    }

    private void Fail()
    {
        _cancellation.Release();
        _core.SetException(new OperationCanceledException(_cancellation.Token));
    }

    private void Recycle()
    {
        Loop? loop = _loop;
        _lock = null;
        _loop = null;
        _grant = default;
        if (!_cancellation.AllowsReuse || loop is null || !loop.IsCurrent)
        {
            return;
        }

        _cancellation = default;
        _claimed = 0;
        _core.Reset();
        Stack<LockWaiter> pool = t_pool ??= new Stack<LockWaiter>();
        if (pool.Count < PoolLimit)
        {
            pool.Push(this);
        }
    }
}
