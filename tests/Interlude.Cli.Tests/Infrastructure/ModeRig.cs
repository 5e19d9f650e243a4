using Interlude.Cli.Modes;
using Interlude.Cli.Workload;

namespace Interlude.Cli.Tests.Infrastructure;

/// <summary>
/// What the execution-mode tests share: the demo's core placement, a simulated device pinned like the demo's
/// (10 us offloads, a lane per worker and one spare), and a small offloading handler.
/// </summary>
internal sealed class ModeRig : IDisposable
{
    internal ModeRig(int workers)
    {
        Placement = CorePlacement.For(
            ThreadAffinity.Read(Environment.ProcessId) ?? Enumerable.Range(0, Environment.ProcessorCount).ToArray());
        Device = new SimulatedAccelerator(new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(10)),
            Lanes = workers + 1,
            Cores = [Placement.DeviceCore],
            IdleSpin = TimeSpan.FromMicroseconds(100),
        });
        Handler = new OffloadRequestHandler(new CpuWork(256), new CpuWork(320), Device);
    }

    internal CorePlacement Placement { get; }

    internal SimulatedAccelerator Device { get; }

    internal OffloadRequestHandler Handler { get; }

    public void Dispose() => Device.Dispose();
}
