namespace Interlude.Ordering;

/// <summary>An event dispatched from another thread, on its way to the key's loop.</summary>
internal sealed class KeyedEnvelope<TKey, TEvent>(KeyedShard<TKey, TEvent> shard, TKey key, TEvent @event)
    where TKey : notnull
{
    internal void Deliver() => shard.Enqueue(key, @event);
}
