using System.Collections.Concurrent;

namespace Interlude.Tests.Infrastructure;

/// <summary>
/// A keyed-dispatch handler that records each event as it starts, then stays suspended until its key's gate
/// opens, then records it as handled: the test decides when keys make room.
/// </summary>
internal sealed class GatedHandler<TKey>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TaskCompletionSource> _gates = new();

    public ConcurrentQueue<(TKey Key, int Event)> Started { get; } = new();

    public ConcurrentQueue<(TKey Key, int Event)> Handled { get; } = new();

    public async ValueTask Handle(TKey key, int @event)
    {
        Started.Enqueue((key, @event));
        await Gate(key).Task;
        Handled.Enqueue((key, @event));
    }

    /// <summary>Lets the key's suspended and future events finish.</summary>
    public void Open(TKey key) => Gate(key).TrySetResult();

    public int[] HandledOf(TKey key) => [.. Handled.Where(h => EqualityComparer<TKey>.Default.Equals(h.Key, key)).Select(h => h.Event)];

    private TaskCompletionSource Gate(TKey key)
        => _gates.GetOrAdd(key, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
