namespace Interlude.Ordering;

/// <summary>
/// The events of one active key and the coroutine handling the current one. Owner loop only.
/// </summary>
/// <remarks>
/// Invariants: at most one handler of this key runs (or is suspended) at any time; the next event starts only
/// when the previous handler's ValueTask has completed. Events start in the order they joined
/// <c>_events</c>. Waiters (from <see cref="KeyedDispatcher{TKey, TEvent}.DispatchAsync"/>) exist only while the
/// key is full; each holds a unit of its loop's room, and they join <c>_events</c> in their own order as the
/// key's events start. Every event taken from <c>_events</c> holds a unit of the loop's room until its handler
/// has finished, and gives it back through <see cref="KeyedShard{TKey, TEvent}.Release"/>.
/// </remarks>
internal sealed class KeyedQueue<TKey, TEvent>
    where TKey : notnull
{
    // A queue that grew past this in a burst gives the memory back when its key goes idle.
    private const int TrimAbove = 64;

    private static readonly Action<object?> s_resume = static s => ((KeyedQueue<TKey, TEvent>)s!).OnHandlerCompleted();
    private static readonly Action<object?> s_run = static s => ((KeyedQueue<TKey, TEvent>)s!).RunUntilSuspended();

    private readonly KeyedShard<TKey, TEvent> _shard;
    private readonly Queue<TEvent> _events = new();
    private readonly DispatchWaiterList<TKey, TEvent> _waiters = new();
    private readonly Action _onCompleted;
    private TKey _key = default!;
    private ValueTask _current;
    private int _highWater;

    internal KeyedQueue(KeyedShard<TKey, TEvent> shard)
    {
        _shard = shard;
        _onCompleted = OnCompletedAnyThread;
    }

    /// <summary>Events waiting behind the one being handled.</summary>
    internal int Waiting => _events.Count;

    /// <summary>Whether an event dispatched on the loop now would find no room in this key.</summary>
    internal bool IsFull => _events.Count >= _shard.MaxQueuedPerKey || !_waiters.IsEmpty;

    /// <summary>Starts handling <paramref name="first"/> at once, on the caller's stack.</summary>
    internal void Start(TKey key, TEvent first)
    {
        _key = key;
        Append(first);
        RunUntilSuspended();
    }

    /// <summary>Starts handling <paramref name="first"/> from the loop's queue, so the caller's stack does not grow.</summary>
    internal void StartLater(TKey key, TEvent first)
    {
        _key = key;
        Append(first);
        _shard.Loop.Schedule(s_run, this);
    }

    internal void Append(TEvent @event)
    {
        _events.Enqueue(@event);
        _shard.Loop.Counters.DispatchQueued++;
        if (_events.Count > _highWater)
        {
            _highWater = _events.Count;
        }
    }

    /// <summary>Sheds the oldest waiting event for <paramref name="event"/>, which joins the back. There must be one waiting.</summary>
    internal TEvent ReplaceOldest(TEvent @event)
    {
        TEvent oldest = _events.Dequeue();
        _events.Enqueue(@event);
        return oldest;
    }

    /// <summary>A waiter holding a unit of the loop's room waits for room in this key.</summary>
    internal void AddWaiter(DispatchWaiter<TKey, TEvent> waiter)
    {
        waiter.HoldsRoom = true;
        _waiters.Enqueue(waiter);
    }

    private void RunUntilSuspended()
    {
        Loop loop = _shard.Loop;
        while (TryTakeNext(out TEvent? @event))
        {
            ValueTask handled;
            try
            {
                handled = _shard.Handler(_key, @event);
            }
            catch (Exception ex)
            {
                loop.Group.OnCoroutineFinished(loop, ex);
                _shard.Release();
                continue;
            }

            if (!handled.IsCompleted)
            {
                // Not ConfigureAwait(false), as in CoroutineRunner: a handler's task usually completes on this
                // loop, whose synchronization context is not the default one, and a context-free continuation
                // completed there is sent to the ThreadPool (and from there posted back) rather than run inline.
                _current = handled;
                handled.GetAwaiter().UnsafeOnCompleted(_onCompleted);
                return;
            }

            Finish(handled);
        }

        TKey key = _key;
        _key = default!;
        if (_highWater > TrimAbove)
        {
            _events.TrimExcess();
        }

        _highWater = 0;
        _shard.Retire(this, key);
    }

    /// <summary>
    /// The next event to handle: the oldest waiting one (its place goes to the oldest waiter), or, with none
    /// waiting, a waiter's own event. A waiter found cancelled gives back the room it held; that may admit an
    /// event for this very key, so every step looks again.
    /// </summary>
    private bool TryTakeNext(out TEvent @event)
    {
        while (true)
        {
            if (_events.TryDequeue(out @event!))
            {
                _shard.Loop.Counters.DispatchQueued--;
                PromoteWaiters();
                return true;
            }

            if (!_waiters.TryDequeue(out DispatchWaiter<TKey, TEvent>? waiter))
            {
                return false;
            }

            waiter.HoldsRoom = false;
            if (waiter.TryClaim())
            {
                _shard.Loop.Counters.CoroutinesStarted++;
                @event = waiter.Event;
                waiter.SignalAdmitted();
                return true;
            }

            _shard.Release();
        }
    }

    private void PromoteWaiters()
    {
        while (_events.Count < _shard.MaxQueuedPerKey && _waiters.TryDequeue(out DispatchWaiter<TKey, TEvent>? waiter))
        {
            waiter.HoldsRoom = false;
            if (waiter.TryClaim())
            {
                _shard.Loop.Counters.CoroutinesStarted++;
                Append(waiter.Event);
                waiter.SignalAdmitted();
            }
            else
            {
                _shard.Release();
            }
        }
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
        _shard.Release();
    }
}
