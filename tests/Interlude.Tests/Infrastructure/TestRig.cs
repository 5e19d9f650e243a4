using System.Collections.Concurrent;

namespace Interlude.Tests.Infrastructure;

/// <summary>
/// A loop group and a simulated accelerator configured for a small, shared machine: few unpinned loops (the OS
/// may move them off a core a spinning device thread needs), no stall reports unless a test asks for them, and
/// a device thread that sleeps soon after it runs out of work.
/// </summary>
internal sealed class TestRig : IAsyncDisposable
{
    public static readonly TimeSpan DeviceIdleSpin = TimeSpan.FromMicroseconds(50);

    private TestRig(LoopGroup group, SimulatedAccelerator device)
    {
        Group = group;
        Device = device;
        group.Faulted += (_, fault) => Faults.Enqueue(fault);
    }

    public LoopGroup Group { get; }

    public SimulatedAccelerator Device { get; }

    /// <summary>Every exception that escaped on a loop, in order.</summary>
    public ConcurrentQueue<LoopFaultEventArgs> Faults { get; } = new();

    /// <summary>The group's first loop.</summary>
    public Loop Loop => Group[0];

    public static TestRig Create(WaitStrategy strategy, int loops = 1, Action<SimulatedAcceleratorOptions>? configureDevice = null)
    {
        LoopGroup group = CreateGroup(strategy, loops);
        try
        {
            return new TestRig(group, CreateDevice(configureDevice));
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    public static LoopGroupOptions LoopOptions(WaitStrategy strategy, int loops = 1) => new()
    {
        LoopCount = loops,
        PinThreads = false,
        WaitStrategy = strategy,
        StallThreshold = TimeSpan.Zero,
    };

    public static LoopGroup CreateGroup(WaitStrategy strategy, int loops = 1) => new(LoopOptions(strategy, loops));

    public static SimulatedAccelerator CreateDevice(Action<SimulatedAcceleratorOptions>? configure = null)
    {
        var options = new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(5)),
            Lanes = 64,
            IdleSpin = DeviceIdleSpin,
        };
        configure?.Invoke(options);
        return new SimulatedAccelerator(options);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Group.StopAsync(TimeSpan.FromSeconds(5)).Guarded();
        }
        finally
        {
            Device.Dispose();
        }
    }
}
