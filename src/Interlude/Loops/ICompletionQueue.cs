namespace Interlude.Loops;

/// <summary>
/// A queue of completions a loop's <see cref="CompletionHub"/> reaps: one device's channel to this loop. The
/// producer (a device thread) publishes into it and then signals the hub with its <see cref="Slot"/>
/// (<see cref="CompletionHub.Signal"/>). Every member is called only on the owning loop's thread.
/// </summary>
internal interface ICompletionQueue
{
    /// <summary>Its slot (readiness bit) in the hub, given by <see cref="CompletionHub.Attach"/>.</summary>
    int Slot { get; }

    /// <summary>Whether completions wait to be reaped.</summary>
    bool HasCompletions { get; }

    /// <summary>Reaps up to a budget of completions and resumes their owners. Returns whether any were reaped.</summary>
    bool Reap();

    /// <summary>Fails every outstanding operation with cancellation (shutdown); returns how many.</summary>
    int CancelPending(CancellationToken token);

    /// <summary>The loop is exiting: the producer must forget this queue.</summary>
    void OnLoopExit();

    /// <summary>
    /// After a full fence that followed this queue's submissions (<see cref="CompletionHub.RingDoorbells"/>): wakes
    /// the thread that consumes them if it sleeps.
    /// </summary>
    void RingDoorbell();
}
