namespace Interlude.Loops;

/// <summary>
/// A queue of completions a loop's <see cref="CompletionHub"/> reaps: one device's channel to this loop. The
/// producer (a device thread) publishes into it and then calls <see cref="CompletionHub.Signal"/> with its
/// <see cref="Slot"/>. Every member is called only on the owning loop's thread.
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
}
