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
    // slot (Descriptor), not from here. Device-defined; reset to 0 when the operation is recycled.
    internal long Argument;

    // Owner loop only: link in the channel's FIFO of submissions waiting for ring space, and in its list of
    // every operation outstanding (so shutdown can cancel them all).
    internal OffloadOperation? NextWaiting;
    internal OffloadOperation? PreviousWaiting;
    internal bool IsWaiting;
    internal OffloadOperation? PreviousOutstanding;
    internal OffloadOperation? NextOutstanding;

    // Owner loop only: the offload's trace span while a listener of the Interlude ActivitySource wants one,
    // started at submission and stopped when the loop is done with the operation; never read by the device.
    internal System.Diagnostics.Activity? Activity;

    // Written by the device thread before it publishes the completion; read by the reaper after.
    internal Exception? DeviceError;

    // Written by any thread on cancellation; read by the device to skip work nobody waits for.
    internal volatile bool CancelRequested;

    /// <summary>Whether the device must read it: a work function or a request (read by the submitter, never by the device).</summary>
    internal abstract bool HasPayload { get; }

    /// <summary>Submitter: the operation as the device sees it; see <see cref="OperationDescriptor"/>.</summary>
    internal long Descriptor => OperationDescriptor.Pack(HasPayload, Argument);

    /// <summary>Device thread: run the work function, if any, storing its result or its exception.</summary>
    internal abstract void Execute();

    /// <summary>Device thread: fails the operation with <paramref name="error"/> (delivered to the awaiter when the loop reaps it).</summary>
    internal void SetError(Exception error) => DeviceError = error;

    /// <summary>Owner loop (or, on the fallback path, the device thread): the device is done with it.</summary>
    internal abstract void OnDeviceDone();

    /// <summary>Owner loop: fail it with cancellation if it has not completed; false if it already had.</summary>
    internal abstract bool CancelOnLoop(CancellationToken token);
}
