using Interlude.Harness.Modes;

namespace Interlude.Harness.Measurement;

/// <summary>Process-wide counters read at one instant, so that two snapshots bracket a measured period.</summary>
public readonly record struct UsageSnapshot(
    ResourceUsage Process,
    MachineUsage Machine,
    LoopActivity? Loops,
    long AllocatedBytes,
    int Gen0Collections,
    int Stalls)
{
    public static UsageSnapshot Take(IExecutionMode mode)
        => new(
            ResourceUsage.ReadProcess(),
            MachineUsage.Read(),
            mode.ReadLoopActivity(),
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            mode.Stalls);
}
