using Interlude.Tests.Infrastructure;

namespace Interlude.Inference.Tests.Infrastructure;

/// <summary>
/// Holds the device thread in a work function until opened, so that requests submitted meanwhile wait in the
/// seam's rings and reach the device together: the device is busy. Submitted from off any loop, so no loop blocks.
/// </summary>
internal sealed class DeviceGate : IDisposable
{
    private readonly ManualResetEventSlim _open = new();
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DeviceGate(InferenceDevice device)
    {
        Released = Task.Run(async () => await device.SubmitAsync(
            static g =>
            {
                g._holding.SetResult();
                g._open.Wait();
                return 0;
            },
            this));
    }

    /// <summary>Completes when the gate's work function has returned.</summary>
    public Task Released { get; }

    /// <summary>Submits the gate and returns once the device thread is held in it.</summary>
    public static async Task<DeviceGate> HoldAsync(InferenceDevice device)
    {
        var gate = new DeviceGate(device);
        await gate._holding.Task.Guarded();
        return gate;
    }

    public async Task OpenAsync()
    {
        _open.Set();
        await Released.Guarded();
    }

    public void Dispose()
    {
        _open.Set();
        _open.Dispose();
    }
}
