using Interlude.Primitives;

namespace Interlude.Ordering;

/// <summary>
/// The keys of one <see cref="KeyedDispatcher{TKey, TEvent}"/> that live on one loop, and that loop's share of
/// the dispatcher's bounds.
/// </summary>
/// <remarks>
/// Thread rules: everything is the owner loop's alone, except <c>_pending</c> and the three ways to dispatch,
/// which any thread may call; from another thread they take room in <c>_pending</c>, then post to the loop.
///
/// Room. <c>_pending</c> counts the dispatcher's events this loop holds: on their way to it, waiting in a key's
/// queue, or being handled, plus waiters holding room for a full key. Any thread takes a unit with a
/// compare-exchange that never passes the bound (<see cref="TryReserve"/>), so the bound is exact; only the owner
/// gives units back, when a handler has finished (<see cref="Release"/>). While callers wait for room, the owner
/// hands a freed unit straight to the oldest of them instead of returning it, so a dispatch from another thread
/// cannot take it first. A key's depth is the owner's plain state: exact for dispatches on the loop, applied on
/// arrival to events from elsewhere.
///
/// Invariants (owner): a key with waiters is full; this shard has room waiters only while <c>_pending</c> is at
/// the bound (every freed unit goes to them first).
///
/// Cost on the owner's path, dispatching on the loop with room: one compare-exchange to take a unit and one
/// interlocked decrement when the handler finishes, on a line of the shard's own; no lock, no allocation.
/// </remarks>
internal sealed class KeyedShard<TKey, TEvent>
    where TKey : notnull
{
    private const int PoolLimit = 1024;

    private static readonly Action<object?> s_deliver = static s => ((KeyedEnvelope<TKey, TEvent>)s!).Deliver();
    private static readonly Action<object?> s_waiterArrived = static s =>
    {
        var waiter = (DispatchWaiter<TKey, TEvent>)s!;
        waiter.Shard.OnWaiterArrived(waiter);
    };

    private readonly Dictionary<TKey, KeyedQueue<TKey, TEvent>> _active;
    private readonly Stack<KeyedQueue<TKey, TEvent>> _pool = new();
    private readonly Action<TKey, TEvent>? _shed;
    private readonly int _maxPending;
    private readonly DispatchOverflow _overflow;

    // Owner only: waiters that have no unit of room yet, oldest first.
    private readonly DispatchWaiterList<TKey, TEvent> _roomWaiters = new();

    // Taken by any thread (compare-exchange, never past _maxPending), given back by the owner (interlocked
    // decrement); read by any thread. On lines of its own: dispatchers on other cores write it.
    private PaddedInt64 _pending;

    internal KeyedShard(
        Loop loop,
        Func<TKey, TEvent, ValueTask> handler,
        IEqualityComparer<TKey> comparer,
        KeyedDispatcherOptions options,
        Action<TKey, TEvent>? shed)
    {
        Loop = loop;
        Handler = handler;
        MaxQueuedPerKey = options.MaxQueuedEventsPerKey;
        _maxPending = options.MaxPendingEventsPerLoop;
        _overflow = options.Overflow;
        _shed = shed;
        _active = new Dictionary<TKey, KeyedQueue<TKey, TEvent>>(comparer);
    }

    internal Loop Loop { get; }

    internal Func<TKey, TEvent, ValueTask> Handler { get; }

    internal int MaxQueuedPerKey { get; }

    /// <summary>Any thread: the dispatcher's events this loop holds now (see the remarks).</summary>
    internal long Pending => Volatile.Read(ref _pending.Value);

    /// <summary>Any thread. Queues the event, or applies the overflow policy.</summary>
    internal void Dispatch(TKey key, TEvent @event)
    {
        if (Loop.IsCurrent)
        {
            Room room = TryAcceptOnLoop(key, @event, out KeyedQueue<TKey, TEvent>? queue);
            if (room == Room.Accepted)
            {
                return;
            }

            if (_overflow == DispatchOverflow.ShedOldest)
            {
                ShedOnLoop(queue, key, @event);
                return;
            }

            Reject(room);
        }
        else if (TryReserve())
        {
            Post(key, @event, shedIfKeyFull: _overflow == DispatchOverflow.ShedOldest);
        }
        else if (_overflow == DispatchOverflow.ShedOldest)
        {
            // Its key's queue is on the loop, out of reach: with no room to carry it there, the newcomer is shed.
            ReportShed(key, @event);
        }
        else
        {
            Reject(Room.LoopFull);
        }
    }

    /// <summary>Any thread. Queues the event if there is room; never sheds, never waits.</summary>
    internal bool TryDispatch(TKey key, TEvent @event)
    {
        if (Loop.IsCurrent)
        {
            if (TryAcceptOnLoop(key, @event, out _) == Room.Accepted)
            {
                return true;
            }
        }
        else if (TryReserve())
        {
            Post(key, @event, shedIfKeyFull: false);
            return true;
        }

        Interlocked.Increment(ref Loop.Counters.DispatchRejected.Value);
        return false;
    }

    /// <summary>Any thread. Queues the event, waiting for room if there is none.</summary>
    internal ValueTask DispatchAsync(TKey key, TEvent @event, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (!Loop.IsCurrent)
        {
            if (TryReserve())
            {
                Post(key, @event, shedIfKeyFull: false);
                return default;
            }

            // The key's state is on the loop: the waiter goes there to wait.
            DispatchWaiter<TKey, TEvent> remote = NewWaiter(key, @event, cancellationToken);
            Loop.Schedule(s_waiterArrived, remote);
            return remote.Task;
        }

        _active.TryGetValue(key, out KeyedQueue<TKey, TEvent>? queue);
        bool keyFull = queue is not null && queue.IsFull;
        if (!keyFull && TryReserve())
        {
            Accept(queue, key, @event);
            return default;
        }

        DispatchWaiter<TKey, TEvent> waiter = NewWaiter(key, @event, cancellationToken);
        Loop.Counters.DispatchWaits++;
        if (keyFull && TryReserve())
        {
            queue!.AddWaiter(waiter);
        }
        else
        {
            _roomWaiters.Enqueue(waiter);
        }

        return waiter.Task;
    }

    /// <summary>Owner: an event from another thread arrives, holding a unit of room.</summary>
    internal void Arrive(TKey key, TEvent @event, bool shedIfKeyFull)
    {
        if (!_active.TryGetValue(key, out KeyedQueue<TKey, TEvent>? queue))
        {
            Start(key, @event);
            return;
        }

        if (!shedIfKeyFull || !queue.IsFull)
        {
            queue.Append(@event);
            return;
        }

        // The arriving event was counted as a coroutine started; the one shed ends as cancelled.
        TEvent shed = queue.Waiting > 0 ? queue.ReplaceOldest(@event) : @event;
        Loop.Counters.CoroutinesCancelled++;
        Release();
        ReportShed(key, shed);
    }

    /// <summary>
    /// Owner: a handler has finished (or a waiter holding room left): the unit goes to the oldest waiter for room,
    /// or back to the pool.
    /// </summary>
    internal void Release()
    {
        while (_roomWaiters.TryDequeue(out DispatchWaiter<TKey, TEvent>? waiter))
        {
            if (TryAdmitWithRoom(waiter))
            {
                return;
            }
        }

        Interlocked.Decrement(ref _pending.Value);
    }

    /// <summary>Owner: a cancelled waiter leaves whichever list holds it and gives back the room it held.</summary>
    internal void Withdraw(DispatchWaiter<TKey, TEvent> waiter)
    {
        waiter.List?.Remove(waiter);
        if (waiter.HoldsRoom)
        {
            waiter.HoldsRoom = false;
            Release();
        }
    }

    /// <summary>Owner: the key has no more events.</summary>
    internal void Retire(KeyedQueue<TKey, TEvent> queue, TKey key)
    {
        _active.Remove(key);
        if (_pool.Count < PoolLimit)
        {
            _pool.Push(queue);
        }
    }

    /// <summary>Any thread: takes a unit of room unless the loop holds its bound already.</summary>
    private bool TryReserve()
    {
        long pending = Volatile.Read(ref _pending.Value);
        while (pending < _maxPending)
        {
            long seen = Interlocked.CompareExchange(ref _pending.Value, pending + 1, pending);
            if (seen == pending)
            {
                return true;
            }

            pending = seen;
        }

        return false;
    }

    /// <summary>Owner: accepts the event if its key and the loop have room. <paramref name="queue"/> is the key's, if active.</summary>
    private Room TryAcceptOnLoop(TKey key, TEvent @event, out KeyedQueue<TKey, TEvent>? queue)
    {
        _active.TryGetValue(key, out queue);
        if (queue is not null && queue.IsFull)
        {
            return Room.KeyFull;
        }

        if (!TryReserve())
        {
            return Room.LoopFull;
        }

        Accept(queue, key, @event);
        return Room.Accepted;
    }

    /// <summary>Owner: the event holds a unit of room; it joins its key, or starts at once if the key is idle.</summary>
    private void Accept(KeyedQueue<TKey, TEvent>? queue, TKey key, TEvent @event)
    {
        Loop.Counters.CoroutinesStarted++;
        if (queue is null)
        {
            Start(key, @event);
        }
        else
        {
            queue.Append(@event);
        }
    }

    /// <summary>Owner, under <see cref="DispatchOverflow.ShedOldest"/>: no room for the event.</summary>
    private void ShedOnLoop(KeyedQueue<TKey, TEvent>? queue, TKey key, TEvent @event)
    {
        if (queue is null || queue.Waiting == 0)
        {
            ReportShed(key, @event);
            return;
        }

        // The newcomer takes the shed event's place and its unit of room; the shed one had been counted as a
        // coroutine started, and ends as cancelled.
        TEvent shed = queue.ReplaceOldest(@event);
        Loop.Counters.CoroutinesStarted++;
        Loop.Counters.CoroutinesCancelled++;
        ReportShed(key, shed);
    }

    private void Start(TKey key, TEvent @event)
    {
        KeyedQueue<TKey, TEvent> queue = Rent(key);
        queue.Start(key, @event);
    }

    private KeyedQueue<TKey, TEvent> Rent(TKey key)
    {
        KeyedQueue<TKey, TEvent> queue = _pool.Count > 0 ? _pool.Pop() : new KeyedQueue<TKey, TEvent>(this);
        _active.Add(key, queue);
        return queue;
    }

    /// <summary>Any thread but the owner: the event holds a unit of room; carry it to the loop.</summary>
    private void Post(TKey key, TEvent @event, bool shedIfKeyFull)
    {
        Loop.CountRemoteSpawn();
        Loop.Schedule(s_deliver, new KeyedEnvelope<TKey, TEvent>(this, key, @event, shedIfKeyFull));
    }

    private DispatchWaiter<TKey, TEvent> NewWaiter(TKey key, TEvent @event, CancellationToken cancellationToken)
    {
        var waiter = new DispatchWaiter<TKey, TEvent>(this, key, @event);
        waiter.Register(cancellationToken);
        return waiter;
    }

    /// <summary>Owner: a waiter from another thread arrives, holding no room.</summary>
    private void OnWaiterArrived(DispatchWaiter<TKey, TEvent> waiter)
    {
        if (waiter.IsClaimed)
        {
            return; // Cancelled on its way.
        }

        Loop.Counters.DispatchWaits++;
        if (!_roomWaiters.IsEmpty || !TryReserve())
        {
            _roomWaiters.Enqueue(waiter);
        }
        else if (!TryAdmitWithRoom(waiter))
        {
            Release();
        }
    }

    /// <summary>
    /// Owner: <paramref name="waiter"/> now holds a unit of room. It joins its key (an idle key starts from the
    /// loop's queue, so a chain of admissions cannot grow the stack), or, if the key is full, waits there holding
    /// the unit. False if it had been cancelled: the unit is then still the caller's to give back.
    /// </summary>
    private bool TryAdmitWithRoom(DispatchWaiter<TKey, TEvent> waiter)
    {
        _active.TryGetValue(waiter.Key, out KeyedQueue<TKey, TEvent>? queue);
        if (queue is not null && queue.IsFull)
        {
            if (waiter.IsClaimed)
            {
                return false;
            }

            queue.AddWaiter(waiter);
            return true;
        }

        if (!waiter.TryClaim())
        {
            return false;
        }

        Loop.Counters.CoroutinesStarted++;
        if (queue is null)
        {
            Rent(waiter.Key).StartLater(waiter.Key, waiter.Event);
        }
        else
        {
            queue.Append(waiter.Event);
        }

        waiter.SignalAdmitted();
        return true;
    }

    private void Reject(Room room)
    {
        Interlocked.Increment(ref Loop.Counters.DispatchRejected.Value);
        throw new DispatchOverloadedException(room == Room.KeyFull
            ? $"The event was not queued: its key already has MaxQueuedEventsPerKey ({MaxQueuedPerKey}) events waiting."
            : $"The event was not queued: its loop already holds MaxPendingEventsPerLoop ({_maxPending}) of the dispatcher's events.");
    }

    /// <summary>
    /// Counts a shed event and hands it to the application's callback, on the calling thread: the key's loop, or
    /// a dispatching thread that found the loop full. A callback that throws is reported, not propagated.
    /// </summary>
    private void ReportShed(TKey key, TEvent @event)
    {
        Interlocked.Increment(ref Loop.Counters.DispatchShed.Value);
        if (_shed is null)
        {
            return;
        }

        try
        {
            _shed(key, @event);
        }
        catch (Exception ex)
        {
            Loop.Group.ReportFault(Loop, ex, FaultSource.WorkItem);
        }
    }

    private enum Room
    {
        Accepted,
        KeyFull,
        LoopFull,
    }
}
