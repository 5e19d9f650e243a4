namespace Interlude;

/// <summary>
/// Delivers events to an async handler so that events with the same key are handled one at a time, in arrival
/// order, each only after the previous one's coroutine has completed (post-processing included), while
/// different keys interleave freely, on all loops of a group.
/// </summary>
/// <remarks>
/// A key belongs to one loop (by hash), and all of its state lives on that loop's thread, so ordering needs
/// no lock. Dispatching from that loop allocates nothing in steady state; dispatching from another thread posts
/// one small envelope. A handler that throws is reported through <see cref="LoopGroup.Faulted"/> and the key
/// goes on with its next event: one bad event does not block a connection. Events are counted as coroutines,
/// so <see cref="LoopGroup.StopAsync"/> drains them.
/// </remarks>
public sealed class KeyedDispatcher<TKey, TEvent>
    where TKey : notnull
{
    private readonly LoopGroup _group;
    private readonly Ordering.KeyedShard<TKey, TEvent>[] _shards;
    private readonly IEqualityComparer<TKey> _comparer;

    /// <summary>Creates a dispatcher over every loop of <paramref name="group"/>.</summary>
    public KeyedDispatcher(LoopGroup group, Func<TKey, TEvent, ValueTask> handler, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(handler);
        _group = group;
        _comparer = comparer ?? EqualityComparer<TKey>.Default;
        _shards = new Ordering.KeyedShard<TKey, TEvent>[group.Count];
        for (int i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Ordering.KeyedShard<TKey, TEvent>(group[i], handler, _comparer);
        }
    }

    /// <summary>The loop that handles <paramref name="key"/>'s events.</summary>
    public Loop LoopFor(TKey key) => ShardFor(key).Loop;

    /// <summary>Queues an event for its key. Any thread.</summary>
    /// <exception cref="InvalidOperationException">The group is stopping and the call comes from outside its loops.</exception>
    public void Dispatch(TKey key, TEvent @event)
    {
        ArgumentNullException.ThrowIfNull(key);
        Ordering.KeyedShard<TKey, TEvent> shard = ShardFor(key);
        _group.ThrowIfNotAccepting(shard.Loop);
        shard.Dispatch(key, @event);
    }

    private Ordering.KeyedShard<TKey, TEvent> ShardFor(TKey key)
        => _shards[(int)((uint)_comparer.GetHashCode(key) % (uint)_shards.Length)];
}
