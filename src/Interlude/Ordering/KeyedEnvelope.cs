namespace Interlude.Ordering;

/// <summary>
/// An event dispatched from another thread, on its way to the key's loop. It already holds a unit of the loop's
/// room and is counted as a coroutine started.
/// </summary>
internal sealed class KeyedEnvelope<TKey, TEvent>(KeyedShard<TKey, TEvent> shard, TKey key, TEvent @event, bool shedIfKeyFull)
    where TKey : notnull
{
    internal void Deliver() => shard.Arrive(key, @event, shedIfKeyFull);
}
