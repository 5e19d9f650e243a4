namespace Interlude.Harness.Soak;

/// <summary>
/// How the requests of a soak run ended. One instance per loop, touched only by that loop's thread while the run
/// lasts, and added up after every loop has stopped.
/// </summary>
public sealed class SoakCounts
{
    /// <summary>Requests started on a loop.</summary>
    public long Arrived { get; internal set; }

    /// <summary>
    /// Arrivals turned away at the door because their loop already had as many started and not yet running as
    /// <see cref="SoakRun.MaxBacklog"/>: the loop itself, not the device, was the bottleneck (as a server's listen
    /// backlog overflows). Not part of <see cref="Arrived"/>.
    /// </summary>
    public long NotAdmitted { get; internal set; }

    /// <summary>Offloads the device completed.</summary>
    public long Completed { get; internal set; }

    /// <summary>Offloads the device failed (injected errors): <see cref="AcceleratorException"/>.</summary>
    public long Faulted { get; internal set; }

    /// <summary>Offloads whose caller gave up, or that the stop cancelled: <see cref="OperationCanceledException"/>.</summary>
    public long Cancelled { get; internal set; }

    /// <summary>Submissions refused or shed past the waiting bound: <see cref="AcceleratorOverloadedException"/>.</summary>
    public long Overloaded { get; internal set; }

    /// <summary>Requests that ended with any other exception: none is expected.</summary>
    public long Unexpected { get; internal set; }

    /// <summary>The type of the first unexpected exception, if any.</summary>
    public string? FirstUnexpected { get; internal set; }

    /// <summary>Requests that have ended, whichever way.</summary>
    public long Ended => Completed + Faulted + Cancelled + Overloaded + Unexpected;

    internal void Add(SoakCounts other)
    {
        Arrived += other.Arrived;
        NotAdmitted += other.NotAdmitted;
        Completed += other.Completed;
        Faulted += other.Faulted;
        Cancelled += other.Cancelled;
        Overloaded += other.Overloaded;
        Unexpected += other.Unexpected;
        FirstUnexpected ??= other.FirstUnexpected;
    }
}
