using Interlude.Harness.Modes;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>
/// What the execution-mode tests share: the demo's core placement, simulated devices pinned like the demo's
/// (10 us offloads, a lane per worker and one spare), and a small offloading handler.
/// </summary>
internal sealed class ModeRig : IDisposable
{
    private static readonly ServiceTime s_offload = ServiceTime.Fixed(TimeSpan.FromMicroseconds(10));

    private readonly int _workers;

    // Made on first use: one completing inline, for the thread-per-request modes, and one with the defaults.
    private SimulatedAccelerator? _inlineDevice;
    private SimulatedAccelerator? _device;

    internal ModeRig(int workers)
    {
        _workers = workers;
        Placement = CorePlacement.For(
            CpuAffinity.GetThreadCores(Environment.ProcessId) ?? Enumerable.Range(0, Environment.ProcessorCount).ToArray());
        Handler = new OffloadRequestHandler(new CpuWork(256), new CpuWork(320), s_offload);
    }

    internal CorePlacement Placement { get; }

    internal OffloadRequestHandler Handler { get; }

    /// <summary>A device made the way the comparison makes one for <paramref name="mode"/>.</summary>
    internal SimulatedAccelerator DeviceFor(IExecutionMode mode)
        => mode.NeedsInlineCompletions
            ? _inlineDevice ??= Create(inlineCompletions: true)
            : _device ??= Create(inlineCompletions: false);

    public void Dispose()
    {
        _inlineDevice?.Dispose();
        _device?.Dispose();
    }

    private SimulatedAccelerator Create(bool inlineCompletions) => new(new SimulatedAcceleratorOptions
    {
        ServiceTime = s_offload,
        Lanes = _workers + 1,
        Cores = [Placement.DeviceCore],
        IdleSpin = TimeSpan.FromMicroseconds(100),
        UnsafeInlineCompletions = inlineCompletions,
    });
}
