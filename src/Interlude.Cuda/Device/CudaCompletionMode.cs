namespace Interlude.Cuda;

/// <summary>How a loop learns that the GPU finished a submission. Each is a choice of <see cref="CudaDeviceOptions.Completion"/>, measured by <c>interlude bench gpu</c>.</summary>
public enum CudaCompletionMode
{
    /// <summary>
    /// After the work, the stream writes the submission's sequence number into pinned, device-mapped host memory
    /// (cuStreamWriteValue32); the loop's poller reads that word. No driver call on the loop while it polls; a loop
    /// about to sleep with work in flight enqueues one host function (cuLaunchHostFunc) that wakes it.
    /// </summary>
    MappedFlag,

    /// <summary>After the work the stream records an event; the loop's poller asks the driver (cuEventQuery) in order.</summary>
    EventQuery,

    /// <summary>
    /// After the work the stream records a blocking-sync event; a helper thread per loop waits on each in turn
    /// (cuEventSynchronize, which sleeps on an interrupt) and publishes the count, waking the loop only if it sleeps.
    /// </summary>
    BlockingEvent,

    /// <summary>After the work the stream runs a host function (cuLaunchHostFunc) on CUDA's callback thread, which publishes the count and wakes the loop if it sleeps.</summary>
    HostCallback,
}
