namespace Interlude.Ordering;

/// <summary>
/// The events of one active key and the coroutine handling the current one. Owner loop only.
/// Invariant: at most one handler of this key runs (or is suspended) at any time; the next event starts only
/// when the previous handler's ValueTask has completed.
/// </summary>
internal sealed class KeyedQueue<TKey, TEvent>
    where TKey : notnull
{
    private static readonly Action<object?> s_resume = static s => ((KeyedQueue<TKey, TEvent>)s!).OnHandlerCompleted();

    private readonly KeyedShard<TKey, TEvent> _shard;
    private readonly Queue<TEvent> _events = new();
    private readonly Action _onCompleted;
    private TKey _key = default!;
    private ValueTask _current;

    internal KeyedQueue(KeyedShard<TKey, TEvent> shard)
    {
        _shard = shard;
        _onCompleted = OnCompletedAnyThread;
    }

    internal void Start(TKey key, TEvent first)
    {
        _key = key;
        _events.Enqueue(first);
        RunUntilSuspended();
    }

    internal void Enqueue(TEvent @event) => _events.Enqueue(@event);

    private void RunUntilSuspended()
    {
        Loop loop = _shard.Loop;
        while (_events.TryDequeue(out TEvent? @event))
        {
            ValueTask handled;
            try
            {
                handled = _shard.Handler(_key, @event);
            }
            catch (Exception ex)
            {
                loop.Group.OnCoroutineFinished(loop, ex);
                continue;
            }

            if (!handled.IsCompleted)
            {
                _current = handled;
                handled.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCompleted);
                return;
            }

            Finish(handled);
        }

        TKey key = _key;
        _key = default!;
        _shard.Retire(this, key);
    }

    private void OnCompletedAnyThread()
    {
        if (_shard.Loop.IsCurrent)
        {
            OnHandlerCompleted();
        }
        else
        {
            _shard.Loop.Schedule(s_resume, this);
        }
    }

    private void OnHandlerCompleted()
    {
        ValueTask completed = _current;
        _current = default;
        Finish(completed);
        RunUntilSuspended();
    }

    private void Finish(ValueTask handled)
    {
        Exception? error = null;
        try
        {
            handled.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            error = ex;
        }

        _shard.Loop.Group.OnCoroutineFinished(_shard.Loop, error);
    }
}
