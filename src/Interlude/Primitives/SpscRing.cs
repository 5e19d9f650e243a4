using System.Runtime.CompilerServices;

namespace Interlude.Primitives;

/// <summary>
/// Bounded single-producer single-consumer ring of references in which the slot itself says whether it is
/// full: no shared head or tail index.
/// </summary>
/// <remarks>
/// Invariants: only one thread calls <see cref="TryEnqueue"/> (the producer) and only one calls
/// <c>TryDequeue</c> and <see cref="ConsumerHasItems"/> (the consumer) at a time. Each side keeps its own
/// position on a line of its own, read by nobody else. The producer publishes an item with a release write of a
/// null slot; the consumer takes it with an acquire read and frees the slot with a release write of null. So the
/// consumer learns of an item by reading one cache line, the slot's, rather than first the producer's index and
/// then the slot: one line transfer fewer between the cores for every completion (the FastForward queue).
/// Positions only grow; slot = position &amp; mask.
/// </remarks>
internal sealed class SpscRing<T>
    where T : class
{
    private readonly Slot[] _slots;
    private readonly int _mask;

    private PaddedInt64 _tail; // producer only: where the next item goes
    private PaddedInt64 _head; // consumer only: where the next item is taken from

    internal SpscRing(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Ring capacity must be a power of two >= 2.");
        }

        _slots = new Slot[capacity];
        _mask = capacity - 1;
    }

    internal int Capacity => _slots.Length;

    /// <summary>
    /// Producer only. False when the ring is full; the item is then not enqueued. <paramref name="stamp"/> travels
    /// in the slot beside the item (a completion's time), so the consumer reads it from the line it reads anyway.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryEnqueue(T item, long stamp = 0)
    {
        long tail = _tail.Value;
        ref Slot slot = ref _slots[(int)tail & _mask];
        if (Volatile.Read(ref slot.Item) is not null)
        {
            return false;
        }

        slot.Stamp = stamp;
        Volatile.Write(ref slot.Item, item);
        _tail.Value = tail + 1;
        return true;
    }

    /// <summary>Consumer only. False when the ring is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? item) => TryDequeue(out item, out _);

    /// <summary>Consumer only. False when the ring is empty; otherwise the item and the stamp it was enqueued with.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? item, out long stamp)
    {
        long head = _head.Value;
        ref Slot slot = ref _slots[(int)head & _mask];
        item = Volatile.Read(ref slot.Item);
        if (item is null)
        {
            stamp = 0;
            return false;
        }

        stamp = slot.Stamp;
        Volatile.Write(ref slot.Item, null);
        _head.Value = head + 1;
        return true;
    }

    /// <summary>Consumer only: whether an item is visible now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool ConsumerHasItems() => Volatile.Read(ref _slots[(int)_head.Value & _mask].Item) is not null;

    /// <summary>One slot: the item (null when free) and its stamp, written before the item is published.</summary>
    private struct Slot
    {
        public T? Item;
        public long Stamp;
    }
}
