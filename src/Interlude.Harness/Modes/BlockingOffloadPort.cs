using Interlude.Harness.Workload;

namespace Interlude.Harness.Modes;

/// <summary>
/// Submits the offload and blocks the calling thread, without spinning, until the device completes it: the
/// device thread runs the continuation, which sets an event the blocked thread sleeps on (one futex sleep and
/// one wake per request, the seed's "context switch"). Returns an already completed task. One per thread.
/// </summary>
/// <remarks>
/// The device must be created with <see cref="AcceleratorOptions.UnsafeInlineCompletions"/>; otherwise the
/// continuation goes through the ThreadPool, one more hop than this mode stands for (still correct).
/// </remarks>
public sealed class BlockingOffloadPort : IOffloadPort, IDisposable
{
    private readonly SimulatedAccelerator _device;

    // Reset and waited on by the owning thread; set by the device thread when the offload completes.
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);

    // Cached so that registering the continuation allocates nothing per request.
    private readonly Action _release;

    public BlockingOffloadPort(SimulatedAccelerator device)
    {
        _device = device;
        _release = _done.Set;
    }

    public ValueTask OffloadAsync() => Wait(_device.SubmitAsync());

    public ValueTask ArriveAsync(TimeSpan wait) => Wait(_device.SubmitAsync(wait));

    private ValueTask Wait(ValueTask offload)
    {
        if (!offload.IsCompleted)
        {
            _done.Reset();

            // No context to capture: the device runs the continuation inline, and it only releases this thread.
            offload.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_release);
            _done.Wait();
        }

        // Surfaces a device error, and returns the operation to its pool.
        offload.GetAwaiter().GetResult();
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _done.Dispose();
}
