using Interlude.Harness.Workload;

namespace Interlude.Harness.Modes;

/// <summary>
/// Submits the offload and spins on the calling thread until the device completes it, never sleeping or
/// yielding: the core is busy for the whole offload. Returns an already completed task. Stateless, so one
/// serves every thread.
/// </summary>
public sealed class SpinningOffloadPort : IOffloadPort
{
    private readonly SimulatedAccelerator _device;

    public SpinningOffloadPort(SimulatedAccelerator device) => _device = device;

    public ValueTask OffloadAsync() => Wait(_device.SubmitAsync());

    public ValueTask ArriveAsync(TimeSpan wait) => Wait(_device.SubmitAsync(wait));

    private static ValueTask Wait(ValueTask offload)
    {
        while (!offload.IsCompleted)
        {
            Thread.SpinWait(1);
        }

        // Surfaces a device error, and returns the operation to its pool.
        offload.GetAwaiter().GetResult();
        return ValueTask.CompletedTask;
    }
}
