namespace Interlude;

/// <summary>
/// What <see cref="KeyedDispatcher{TKey, TEvent}.Dispatch"/> does with an event there is no room for: its key
/// already has <see cref="KeyedDispatcherOptions.MaxQueuedEventsPerKey"/> events waiting, or its loop already holds
/// <see cref="KeyedDispatcherOptions.MaxPendingEventsPerLoop"/> of the dispatcher's events. The other ways to
/// dispatch choose for themselves: <see cref="KeyedDispatcher{TKey, TEvent}.TryDispatch"/> refuses and
/// <see cref="KeyedDispatcher{TKey, TEvent}.DispatchAsync"/> waits.
/// </summary>
public enum DispatchOverflow
{
    /// <summary>The event is not queued: <see cref="KeyedDispatcher{TKey, TEvent}.Dispatch"/> throws <see cref="DispatchOverloadedException"/>.</summary>
    Reject,

    /// <summary>
    /// The key's oldest waiting event is shed and the new one joins the back of the key's queue, so under
    /// sustained overload a key's freshest events are the ones handled; when the key has no event waiting, the
    /// new one is shed. A shed event is given to the dispatcher's shed callback, so the application can answer
    /// it "busy", and is never handled. <see cref="KeyedDispatcher{TKey, TEvent}.Dispatch"/> never throws for
    /// overload.
    /// </summary>
    ShedOldest,
}
