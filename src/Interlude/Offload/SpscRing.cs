using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Interlude.Offload;

/// <summary>
/// Bounded single-producer single-consumer ring of references.
/// </summary>
/// <remarks>
/// Invariants: only one thread calls <see cref="TryEnqueue"/> (the producer) and only one calls
/// <see cref="TryDequeue"/> (the consumer) at a time. <c>_tail</c> is written by the producer and read by the
/// consumer; <c>_head</c> the reverse. Each side keeps a private cached copy of the other's index and reads the
/// shared one only when the cache says full (producer) or empty (consumer), so in steady state each side
/// touches the other's line once per batch, not per item. Indices only grow; slot = index &amp; mask.
/// A slot is published by the release write of <c>_tail</c> and freed by the release write of <c>_head</c>.
/// </remarks>
internal sealed class SpscRing<T>
    where T : class
{
    private readonly T?[] _slots;
    private readonly int _mask;

    private PaddedInt64 _tail;          // producer writes; consumer reads
    private PaddedInt64 _head;          // consumer writes; producer reads
    private PaddedInt64 _producerHead;  // producer's private cache of _head
    private PaddedInt64 _consumerTail;  // consumer's private cache of _tail

    internal SpscRing(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Ring capacity must be a power of two >= 2.");
        }

        _slots = new T?[capacity];
        _mask = capacity - 1;
    }

    internal int Capacity => _slots.Length;

    /// <summary>Approximate from any thread; exact from either side when the other is quiet.</summary>
    internal int Count => (int)(Volatile.Read(ref _tail.Value) - Volatile.Read(ref _head.Value));

    internal bool IsEmpty => Volatile.Read(ref _tail.Value) == Volatile.Read(ref _head.Value);

    /// <summary>Producer only. False when the ring is full; the item is then not enqueued.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryEnqueue(T item)
    {
        long tail = _tail.Value;
        if (tail - _producerHead.Value >= _slots.Length)
        {
            _producerHead.Value = Volatile.Read(ref _head.Value);
            if (tail - _producerHead.Value >= _slots.Length)
            {
                return false;
            }
        }

        _slots[(int)tail & _mask] = item;
        Volatile.Write(ref _tail.Value, tail + 1);
        return true;
    }

    /// <summary>Consumer only. False when the ring is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? item)
    {
        long head = _head.Value;
        if (head >= _consumerTail.Value)
        {
            _consumerTail.Value = Volatile.Read(ref _tail.Value);
            if (head >= _consumerTail.Value)
            {
                item = null;
                return false;
            }
        }

        int slot = (int)head & _mask;
        item = _slots[slot];
        Debug.Assert(item is not null, "a published slot holds an item");
        _slots[slot] = null;
        Volatile.Write(ref _head.Value, head + 1);
        return true;
    }

    /// <summary>Consumer only: whether an item is visible now (refreshes the consumer's cache).</summary>
    internal bool ConsumerHasItems()
    {
        long head = _head.Value;
        if (head < _consumerTail.Value)
        {
            return true;
        }

        _consumerTail.Value = Volatile.Read(ref _tail.Value);
        return head < _consumerTail.Value;
    }
}
