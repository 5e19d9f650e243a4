namespace Interlude.Offload;

/// <summary>
/// One offload in flight: what the device runs and how its outcome gets back to the awaiting coroutine.
/// </summary>
/// <remarks>
/// Life on the loop path: a loop rents it, fills it and pushes it into its channel's submission ring; the
/// device thread dequeues it, runs it, stores the outcome and pushes it into the completion ring; the loop reaps
/// it, completes the awaited source (resuming the coroutine inline) and, once the coroutine has read the result,
/// returns it to the loop's pool. On the fallback path (submitted off any loop) <see cref="Channel"/> is null and
/// the device completes it directly. Fields are grouped by writer below.
/// </remarks>
internal abstract class OffloadOperation
{
    // Written by the submitter before the operation is published to the device; read-only afterwards.
    internal DeviceChannel? Channel;
    internal long SubmitTimestamp;

    // Written by the submitter before the operation is published; the device gets it packed in the submission
    // slot (Descriptor), not from here. Its service time in Stopwatch ticks, or -1 to draw one from the device's
    // distribution. Reset to -1 when the operation is recycled.
    internal long ServiceTicks = -1;

    // Owner loop only: link in the channel's FIFO of submissions waiting for ring space, and in its list of
    // every operation outstanding (so shutdown can cancel them all).
    internal OffloadOperation? NextWaiting;
    internal OffloadOperation? PreviousOutstanding;
    internal OffloadOperation? NextOutstanding;

    // Written by the device thread before it publishes the completion; read by the reaper after.
    internal Exception? DeviceError;

    // Written by any thread on cancellation; read by the device to skip work nobody waits for.
    internal volatile bool CancelRequested;

    /// <summary>Whether the device must run a work function (read by the submitter, never by the device).</summary>
    internal abstract bool HasWork { get; }

    /// <summary>Submitter: the operation as the device sees it; see <see cref="OperationDescriptor"/>.</summary>
    internal long Descriptor => OperationDescriptor.Pack(HasWork, ServiceTicks);

    /// <summary>Device thread: run the work function, storing its result or its exception.</summary>
    internal abstract void Execute();

    /// <summary>Owner loop (or, on the fallback path, the device thread): the device is done with it.</summary>
    internal abstract void OnDeviceDone();

    /// <summary>Owner loop: fail it with cancellation if it has not completed; false if it already had.</summary>
    internal abstract bool CancelOnLoop(CancellationToken token);
}
