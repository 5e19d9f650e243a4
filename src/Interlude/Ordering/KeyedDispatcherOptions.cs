namespace Interlude;

/// <summary>
/// Bounds on the events a <see cref="KeyedDispatcher{TKey, TEvent}"/> holds, and what
/// <see cref="KeyedDispatcher{TKey, TEvent}.Dispatch"/> does past them. The defaults keep memory flat under
/// sustained overload: however fast events arrive, one loop holds at most
/// <see cref="MaxPendingEventsPerLoop"/> of them, plus one per caller waiting in
/// <see cref="KeyedDispatcher{TKey, TEvent}.DispatchAsync"/>.
/// </summary>
/// <remarks>The dispatcher copies the values when it is created; later changes to the object do not reach it.</remarks>
public sealed class KeyedDispatcherOptions
{
    /// <summary>
    /// Events of one key that may wait behind the one being handled; 0 lets none wait (an event arriving while its
    /// key is busy finds no room). Exact for events dispatched on the key's own loop. An event dispatched from
    /// another thread is checked against it only when it reaches the loop, where it joins its key even past the
    /// bound (it was counted against <see cref="MaxPendingEventsPerLoop"/> before it was posted, so memory stays
    /// bounded), unless <see cref="Overflow"/> is <see cref="DispatchOverflow.ShedOldest"/>, which sheds there.
    /// </summary>
    /// <remarks>Defaults to 256.</remarks>
    public int MaxQueuedEventsPerKey { get; set; } = 256;

    /// <summary>
    /// Events of the dispatcher one loop may hold at once, over all its keys: on their way to the loop from
    /// another thread, waiting in a key's queue, or being handled (a suspended handler included). The count is
    /// exact from any thread. Bounding the events being handled too means distinct keys cannot grow memory
    /// either: each of them would otherwise start a handler at once.
    /// </summary>
    /// <remarks>Defaults to 16,384.</remarks>
    public int MaxPendingEventsPerLoop { get; set; } = 16_384;

    /// <summary>What <see cref="KeyedDispatcher{TKey, TEvent}.Dispatch"/> does with an event there is no room for.</summary>
    /// <remarks>Defaults to <see cref="DispatchOverflow.Reject"/>.</remarks>
    public DispatchOverflow Overflow { get; set; } = DispatchOverflow.Reject;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    internal void Validate()
    {
        if (MaxQueuedEventsPerKey < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedEventsPerKey), MaxQueuedEventsPerKey, "MaxQueuedEventsPerKey must be non-negative.");
        }

        if (MaxPendingEventsPerLoop < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPendingEventsPerLoop), MaxPendingEventsPerLoop, "MaxPendingEventsPerLoop must be at least 1.");
        }

        if (!Enum.IsDefined(Overflow))
        {
            throw new ArgumentOutOfRangeException(nameof(Overflow), Overflow, "Overflow must be Reject or ShedOldest.");
        }
    }
}
