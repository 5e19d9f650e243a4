namespace Interlude;

/// <summary>A loop made no progress for longer than the stall threshold: something blocked its thread.</summary>
public sealed class LoopStallEventArgs : EventArgs
{
    internal LoopStallEventArgs(int loopIndex, TimeSpan stalledFor)
    {
        LoopIndex = loopIndex;
        StalledFor = stalledFor;
    }

    /// <summary>The stalled loop.</summary>
    public int LoopIndex { get; }

    /// <summary>How long it had made no progress when reported: at least the threshold, at most about twice it.</summary>
    public TimeSpan StalledFor { get; }
}
