using Interlude.Harness.Workload;

namespace Interlude.Harness.Modes;

/// <summary>
/// Awaits the device's ordinary <see cref="SimulatedAccelerator.SubmitAsync(CancellationToken)"/>. On an
/// Interlude loop that is the loop's own channel, reaped and resumed inline by the loop; off any loop it is the
/// library's fallback path, whose continuation runs on the ThreadPool. Stateless, so one serves every worker.
/// </summary>
public sealed class DeviceOffloadPort : IOffloadPort
{
    private readonly SimulatedAccelerator _device;

    public DeviceOffloadPort(SimulatedAccelerator device) => _device = device;

    public ValueTask OffloadAsync() => _device.SubmitAsync();

    public ValueTask ArriveAsync(TimeSpan wait) => _device.SubmitAsync(wait);
}
