namespace Interlude;

/// <summary>
/// An event <see cref="KeyedDispatcher{TKey, TEvent}.Dispatch"/> could not queue: its key already had
/// <see cref="KeyedDispatcherOptions.MaxQueuedEventsPerKey"/> events waiting, or its loop already held
/// <see cref="KeyedDispatcherOptions.MaxPendingEventsPerLoop"/> of the dispatcher's events, and the overflow
/// policy is <see cref="DispatchOverflow.Reject"/>. The message names the bound that was reached. The event will
/// not be handled; retrying later, or answering it "busy", is the caller's choice.
/// </summary>
public sealed class DispatchOverloadedException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public DispatchOverloadedException()
        : base("The keyed dispatcher is overloaded.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public DispatchOverloadedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public DispatchOverloadedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
