namespace Interlude.Ordering;

/// <summary>
/// The keys of one <see cref="KeyedDispatcher{TKey, TEvent}"/> that live on one loop. Owner loop only, except
/// <see cref="Dispatch"/>, which posts to the loop when called from elsewhere.
/// </summary>
internal sealed class KeyedShard<TKey, TEvent>
    where TKey : notnull
{
    private const int PoolLimit = 1024;

    private static readonly Action<object?> s_deliver = static s => ((KeyedEnvelope<TKey, TEvent>)s!).Deliver();

    private readonly Dictionary<TKey, KeyedQueue<TKey, TEvent>> _active;
    private readonly Stack<KeyedQueue<TKey, TEvent>> _pool = new();

    internal KeyedShard(Loop loop, Func<TKey, TEvent, ValueTask> handler, IEqualityComparer<TKey> comparer)
    {
        Loop = loop;
        Handler = handler;
        _active = new Dictionary<TKey, KeyedQueue<TKey, TEvent>>(comparer);
    }

    internal Loop Loop { get; }

    internal Func<TKey, TEvent, ValueTask> Handler { get; }

    internal void Dispatch(TKey key, TEvent @event)
    {
        if (Loop.IsCurrent)
        {
            Loop.Counters.CoroutinesStarted++;
            Enqueue(key, @event);
        }
        else
        {
            Loop.CountRemoteSpawn();
            Loop.Schedule(s_deliver, new KeyedEnvelope<TKey, TEvent>(this, key, @event));
        }
    }

    /// <summary>Owner loop: the event is already counted as a coroutine in flight.</summary>
    internal void Enqueue(TKey key, TEvent @event)
    {
        if (_active.TryGetValue(key, out KeyedQueue<TKey, TEvent>? queue))
        {
            queue.Enqueue(@event);
            return;
        }

        queue = _pool.Count > 0 ? _pool.Pop() : new KeyedQueue<TKey, TEvent>(this);
        _active.Add(key, queue);
        queue.Start(key, @event);
    }

    /// <summary>Owner loop: the key has no more events.</summary>
    internal void Retire(KeyedQueue<TKey, TEvent> queue, TKey key)
    {
        _active.Remove(key);
        if (_pool.Count < PoolLimit)
        {
            _pool.Push(queue);
        }
    }
}
