using System.Diagnostics;

namespace Interlude.Harness.Measurement;

/// <summary>What the waiting side of a latency measurement spent over its measured period.</summary>
/// <param name="Usage">CPU time and context switches of the waiting side (a loop thread, a blocked thread and its dispatcher, or the process less the device).</param>
/// <param name="WallTicks">The measured period, in Stopwatch ticks.</param>
/// <param name="AllocatedBytes">Managed bytes allocated meanwhile, by the whole process.</param>
/// <param name="LoopSleeps">Times the waiting loop went to sleep; null where no loop waits.</param>
public readonly record struct WaitingCost(ResourceUsage Usage, long WallTicks, long AllocatedBytes, long? LoopSleeps)
{
    /// <summary>The waiting side's CPU time over the wall time, 0 to 1: near 0 for a side that sleeps, 1 for one that spins.</summary>
    public double BusyFraction
        => WallTicks <= 0 ? 0 : Math.Clamp(Usage.CpuTime.TotalSeconds * Stopwatch.Frequency / WallTicks, 0, 1);
}
