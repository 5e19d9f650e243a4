using Interlude.Ordering;

namespace Interlude;

/// <summary>
/// Delivers events to an async handler so that events with the same key are handled one at a time, in arrival
/// order, each only after the previous one's coroutine has completed (post-processing included), while
/// different keys interleave freely, on all loops of a group. What it holds is bounded
/// (<see cref="KeyedDispatcherOptions"/>), and the caller chooses what happens when there is no room:
/// <see cref="Dispatch"/> applies the dispatcher's <see cref="DispatchOverflow"/> policy (refuse with
/// <see cref="DispatchOverloadedException"/>, or shed the key's oldest waiting event),
/// <see cref="TryDispatch"/> returns false, and <see cref="DispatchAsync"/> waits for room.
/// </summary>
/// <remarks>
/// A key belongs to one loop (by hash), and all of its state lives on that loop's thread, so ordering needs
/// no lock. Dispatching from that loop allocates nothing in steady state; dispatching from another thread posts
/// one small envelope, after taking room for it, so events on their way count against the loop's bound too. A
/// handler that throws is reported through <see cref="LoopGroup.Faulted"/> and the key goes on with its next
/// event: one bad event does not block a connection. Events are counted as coroutines, so
/// <see cref="LoopGroup.StopAsync"/> drains them; an event shed after it was queued counts as a cancelled one.
/// Rejections, sheds, waits and queue depth appear in <see cref="LoopGroup.GetStatistics"/> and in the
/// <c>Interlude</c> meter (<c>interlude.dispatch.*</c>).
/// </remarks>
public sealed class KeyedDispatcher<TKey, TEvent>
    where TKey : notnull
{
    private readonly LoopGroup _group;
    private readonly KeyedShard<TKey, TEvent>[] _shards;
    private readonly IEqualityComparer<TKey> _comparer;

    /// <summary>Creates a dispatcher over every loop of <paramref name="group"/>.</summary>
    /// <param name="group">The loops that run the handlers; each key belongs to one of them.</param>
    /// <param name="handler">Handles one event; a key's next event starts when the returned task completes.</param>
    /// <param name="options">The bounds and the overflow policy; null takes the defaults.</param>
    /// <param name="eventShed">
    /// Receives each event shed under <see cref="DispatchOverflow.ShedOldest"/>, so the application can answer it
    /// "busy"; the event is never handled. It runs on the key's loop, or on the dispatching thread when an event
    /// dispatched from another thread found the loop full, and must be short. An exception it throws is reported
    /// through <see cref="LoopGroup.Faulted"/>.
    /// </param>
    /// <param name="comparer">Compares keys; null takes the default comparer.</param>
    /// <exception cref="ArgumentException">An option is out of range (the exception names it).</exception>
    public KeyedDispatcher(
        LoopGroup group,
        Func<TKey, TEvent, ValueTask> handler,
        KeyedDispatcherOptions? options = null,
        Action<TKey, TEvent>? eventShed = null,
        IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new KeyedDispatcherOptions();
        options.Validate();
        _group = group;
        _comparer = comparer ?? EqualityComparer<TKey>.Default;
        _shards = new KeyedShard<TKey, TEvent>[group.Count];
        for (int i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new KeyedShard<TKey, TEvent>(group[i], handler, _comparer, options, eventShed);
        }
    }

    /// <summary>Any thread: the dispatcher's events held now over all loops: on their way, waiting or being handled (a snapshot).</summary>
    internal long PendingEvents
    {
        get
        {
            long total = 0;
            foreach (KeyedShard<TKey, TEvent> shard in _shards)
            {
                total += shard.Pending;
            }

            return total;
        }
    }

    /// <summary>The loop that handles <paramref name="key"/>'s events.</summary>
    public Loop LoopFor(TKey key) => ShardFor(key).Loop;

    /// <summary>
    /// Queues an event for its key, or, if there is no room, applies the dispatcher's
    /// <see cref="KeyedDispatcherOptions.Overflow"/> policy. Any thread; never waits.
    /// </summary>
    /// <exception cref="DispatchOverloadedException">
    /// No room, and the policy is <see cref="DispatchOverflow.Reject"/>; the message names the bound reached.
    /// </exception>
    /// <exception cref="InvalidOperationException">The group is stopping and the call comes from outside its loops.</exception>
    public void Dispatch(TKey key, TEvent @event)
    {
        ArgumentNullException.ThrowIfNull(key);
        KeyedShard<TKey, TEvent> shard = ShardFor(key);
        _group.ThrowIfNotAccepting(shard.Loop);
        shard.Dispatch(key, @event);
    }

    /// <summary>
    /// Queues an event for its key if there is room now, and returns whether it did: it never waits, throws for
    /// overload or sheds, whatever the overflow policy. Any thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">The group is stopping and the call comes from outside its loops.</exception>
    public bool TryDispatch(TKey key, TEvent @event)
    {
        ArgumentNullException.ThrowIfNull(key);
        KeyedShard<TKey, TEvent> shard = ShardFor(key);
        _group.ThrowIfNotAccepting(shard.Loop);
        return shard.TryDispatch(key, @event);
    }

    /// <summary>
    /// Queues an event for its key, waiting (suspended, never blocking) until there is room; completes at once
    /// when there is. Callers waiting for a loop's room are admitted oldest first, and so are those waiting for
    /// one key's; an event's place in its key's order is taken when it is admitted. Any thread; never sheds.
    /// </summary>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> fired, or the group's stop cancelled its work, before there was room;
    /// the event was not queued.
    /// </exception>
    /// <exception cref="InvalidOperationException">The group is stopping and the call comes from outside its loops.</exception>
    public ValueTask DispatchAsync(TKey key, TEvent @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        KeyedShard<TKey, TEvent> shard = ShardFor(key);
        _group.ThrowIfNotAccepting(shard.Loop);
        return shard.DispatchAsync(key, @event, cancellationToken);
    }

    private KeyedShard<TKey, TEvent> ShardFor(TKey key)
        => _shards[(int)((uint)_comparer.GetHashCode(key) % (uint)_shards.Length)];
}
