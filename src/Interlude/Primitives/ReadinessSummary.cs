using System.Numerics;
using System.Runtime.CompilerServices;

namespace Interlude.Primitives;

/// <summary>
/// A doorbell bitmap over up to 4,096 completion queues: producers ring the bit of a queue they published into,
/// and the one consumer takes the rung queues without looking at the idle ones, so its polling cost follows the
/// number of ready queues, not the number of queues.
/// </summary>
/// <remarks>
/// Two levels: one bit per queue in 64-bit words, and a summary word with one bit per non-empty word. The summary
/// and the words lie side by side from the start of a cache line (17 words for 1,024 queues: three lines), so a
/// producer ringing a queue among the first 448 touches one line, and the consumer reads one line to learn that
/// nothing is rung. Who touches what:
/// - the words and the summary: any producer sets bits with <see cref="Interlocked.Or(ref ulong, ulong)"/>; the
///   consumer clears them with <see cref="Interlocked.Exchange(ref ulong, ulong)"/>.
/// - <c>_taken</c>: the consumer only (summary bits taken but whose words it has not yet visited).
/// The protocol that keeps wakes from being lost: a producer publishes its item first, then sets the word bit,
/// then the summary bit (both full fences). The consumer clears the summary bit before the word, and the word
/// before it drains the queue. So a bit cleared by the consumer was set before the item it announces was
/// looked for, and a bit set after the consumer looked stays set for the next look. The consumer may see a bit
/// whose item it already drained (a spurious ring); it never misses one.
/// </remarks>
internal sealed unsafe class ReadinessSummary
{
    /// <summary>The most queues one summary can hold.</summary>
    internal const int MaxQueues = 64 * 64;

    private const int LineLongs = 8;

    // Pinned, so the index of the first word on a line boundary stays right; padded by a line on both sides so
    // no other object shares its lines.
    private readonly ulong[] _bits;
    private readonly int _summaryIndex;

    // Consumer only.
    private ulong _taken;

    internal ReadinessSummary(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxQueues);
        Capacity = capacity;
        WordCount = (capacity + 63) / 64;
        _bits = GC.AllocateArray<ulong>(WordCount + 1 + (3 * LineLongs), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref _bits[LineLongs]);
        _summaryIndex = LineLongs + (int)(((64 - (address & 63)) & 63) / sizeof(ulong));
    }

    internal int Capacity { get; }

    internal int WordCount { get; }

    /// <summary>Any thread: whether some queue may be ready (the consumer's cheap check before sleeping).</summary>
    internal bool IsRung => _taken != 0 || Volatile.Read(ref Summary) != 0;

    /// <summary>
    /// Producer, after publishing into <paramref name="queue"/>: marks it ready. A full fence, so a check of the
    /// consumer's armed flag after it cannot be reordered before the mark.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Ring(int queue)
    {
        if ((uint)queue >= (uint)Capacity)
        {
            ThrowQueueOutOfRange(queue);
        }

        int word = queue >> 6;
        Interlocked.Or(ref WordRef(word), 1UL << (queue & 63));
        ulong bit = 1UL << word;
        if ((Volatile.Read(ref Summary) & bit) == 0)
        {
            Interlocked.Or(ref Summary, bit);
        }
    }

    /// <summary>
    /// Consumer only: takes one word of rung queues, clearing their bits. <paramref name="firstQueue"/> is the
    /// index of the word's bit 0. Returns false when nothing is rung.
    /// </summary>
    internal bool TryTake(out int firstQueue, out ulong ready)
    {
        while (true)
        {
            if (_taken == 0)
            {
                if (Volatile.Read(ref Summary) == 0)
                {
                    firstQueue = 0;
                    ready = 0;
                    return false;
                }

                _taken = Interlocked.Exchange(ref Summary, 0);
            }

            int word = BitOperations.TrailingZeroCount(_taken);
            _taken &= _taken - 1;
            ready = Interlocked.Exchange(ref WordRef(word), 0);
            if (ready != 0)
            {
                firstQueue = word << 6;
                return true;
            }
        }
    }

    /// <summary>Consumer only: gives back queues it took but could not drain within its budget.</summary>
    internal void Return(int firstQueue, ulong ready)
    {
        if (ready != 0)
        {
            int word = firstQueue >> 6;
            Interlocked.Or(ref WordRef(word), ready);
            _taken |= 1UL << word;
        }
    }

    private ref ulong Summary => ref _bits[_summaryIndex];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref ulong WordRef(int word) => ref _bits[_summaryIndex + 1 + word];

    private void ThrowQueueOutOfRange(int queue)
        => throw new ArgumentOutOfRangeException(nameof(queue), queue, $"Queue index must be in [0, {Capacity}).");
}
