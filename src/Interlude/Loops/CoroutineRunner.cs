using System.Runtime.CompilerServices;

namespace Interlude.Loops;

/// <summary>
/// Starts one fire-and-forget coroutine on a loop and observes its end: counts it, reports its exception,
/// and returns itself to the loop's pool. Pooled per loop thread, so spawning from a loop allocates nothing
/// in steady state (the coroutine's own state machine aside).
/// </summary>
internal sealed class CoroutineRunner<TState>
{
    private const int PoolLimit = 1024;

    private static readonly Action<object?> s_start = static r => ((CoroutineRunner<TState>)r!).Start();
    private static readonly Action<object?> s_finish = static r => ((CoroutineRunner<TState>)r!).Finish();

    [ThreadStatic]
    private static Stack<CoroutineRunner<TState>>? t_pool;

    private readonly Action _onCompleted;
    private Loop? _loop;
    private Func<TState, ValueTask>? _coroutine;
    private TState? _state;
    private ValueTask _task;

    private CoroutineRunner() => _onCompleted = OnCompleted;

    /// <summary>Any thread. Counts the coroutine as in flight at once, so a drain cannot miss it.</summary>
    internal static void Spawn(Loop loop, Func<TState, ValueTask> coroutine, TState state)
    {
        loop.Group.ThrowIfNotAccepting(loop);
        CoroutineRunner<TState> runner = Loop.Current is not null && t_pool is { Count: > 0 } pool
            ? pool.Pop()
            : new CoroutineRunner<TState>();
        runner._loop = loop;
        runner._coroutine = coroutine;
        runner._state = state;
        if (loop.IsCurrent)
        {
            loop.Counters.CoroutinesStarted++;
        }
        else
        {
            loop.CountRemoteSpawn();
        }

        loop.Schedule(s_start, runner);
    }

    private void Start()
    {
        ValueTask task;
        try
        {
            task = _coroutine!(_state!);
        }
        catch (Exception ex)
        {
            Complete(ex);
            return;
        }

        _task = task;
        if (task.IsCompleted)
        {
            Finish();
            return;
        }

        // Not ConfigureAwait(false): the coroutine's task usually completes on this loop, whose synchronization
        // context is not the default one, and a context-free continuation completed there is sent to the
        // ThreadPool rather than run inline. Capturing the loop's own context runs it inline when the task
        // completes on the loop, and posts it to the loop when it completes elsewhere.
        task.GetAwaiter().UnsafeOnCompleted(_onCompleted);
    }

    /// <summary>Whatever thread completed the coroutine; normally the loop itself.</summary>
    private void OnCompleted()
    {
        if (_loop!.IsCurrent)
        {
            Finish();
        }
        else
        {
            _loop.Schedule(s_finish, this);
        }
    }

    private void Finish()
    {
        Exception? error = null;
        try
        {
            _task.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Complete(error);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Complete(Exception? error)
    {
        Loop loop = _loop!;
        _loop = null;
        _coroutine = null;
        _state = default;
        _task = default;
        loop.Group.OnCoroutineFinished(loop, error);

        Stack<CoroutineRunner<TState>> pool = t_pool ??= new Stack<CoroutineRunner<TState>>();
        if (pool.Count < PoolLimit)
        {
            pool.Push(this);
        }
    }
}
