namespace Interlude;

/// <summary>
/// A loop made no progress for longer than the stall threshold. Raised when the stall is first seen, again each
/// time it has doubled in length while it goes on, and once more when it ends, with its real length.
/// </summary>
public sealed class LoopStallEventArgs : EventArgs
{
    internal LoopStallEventArgs(int loopIndex, TimeSpan stalledFor, bool hasEnded, LoopStallCause cause, int queuedWork)
    {
        LoopIndex = loopIndex;
        StalledFor = stalledFor;
        HasEnded = hasEnded;
        Cause = cause;
        QueuedWork = queuedWork;
    }

    /// <summary>The stalled loop.</summary>
    public int LoopIndex { get; }

    /// <summary>
    /// How long the loop has made no progress: so far, while the stall goes on; its whole length once it has
    /// ended. Measured to within one sampling period (the threshold).
    /// </summary>
    public TimeSpan StalledFor { get; }

    /// <summary>Whether the loop has made progress again (this is the stall's last report).</summary>
    public bool HasEnded { get; }

    /// <summary>What the loop's thread did during the stall, as far as the kernel's counters tell.</summary>
    public LoopStallCause Cause { get; }

    /// <summary>Work items other threads had posted to the loop and that waited for it when the stall was seen.</summary>
    public int QueuedWork { get; }
}
