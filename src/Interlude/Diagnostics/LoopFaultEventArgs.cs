namespace Interlude;

/// <summary>An exception that escaped on a loop; the loop itself keeps running.</summary>
public sealed class LoopFaultEventArgs : EventArgs
{
    internal LoopFaultEventArgs(int loopIndex, FaultSource source, Exception exception)
    {
        LoopIndex = loopIndex;
        Source = source;
        Exception = exception;
    }

    /// <summary>The loop it happened on.</summary>
    public int LoopIndex { get; }

    /// <summary>What threw.</summary>
    public FaultSource Source { get; }

    /// <summary>The exception.</summary>
    public Exception Exception { get; }
}
