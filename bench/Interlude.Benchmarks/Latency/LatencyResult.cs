using System.Diagnostics;
using Interlude.Diagnostics;

namespace Interlude.Benchmarks.Latency;

/// <summary>
/// The outcome of one measured phase: a wait strategy, or the raw handoff floor. <paramref name="SortedTicks"/> is
/// ascending.
/// </summary>
internal sealed record LatencyResult(
    string Mode,
    int GapUs,
    int WarmupSamples,
    long[] SortedTicks,
    long WallTicks,
    ResourceUsage Process,
    ResourceUsage Loop,
    long LoopSleeps,
    long AllocatedBytes)
{
    internal int Count => SortedTicks.Length;

    internal double MinUs => ToUs(SortedTicks[0]);

    internal double MaxUs => ToUs(SortedTicks[^1]);

    internal double MeanUs => ToUs(SortedTicks.Average(t => (double)t));

    internal double WallUsPerOp => ToUs(WallTicks) / Count;

    internal double ProcessCpuUsPerOp => (double)Process.CpuTime.TotalMicroseconds / Count;

    internal double LoopCpuUsPerOp => (double)Loop.CpuTime.TotalMicroseconds / Count;

    internal double ProcessVoluntaryPerOp => (double)Process.VoluntarySwitches / Count;

    internal double LoopVoluntaryPerOp => (double)Loop.VoluntarySwitches / Count;

    internal double LoopInvoluntaryPerOp => (double)Loop.InvoluntarySwitches / Count;

    internal double AllocatedBytesPerOp => (double)AllocatedBytes / Count;

    internal double LoopSleepsPerOp => (double)LoopSleeps / Count;

    /// <summary>Nearest-rank percentile, <paramref name="fraction"/> in (0, 1], in microseconds.</summary>
    internal double PercentileUs(double fraction)
    {
        int rank = (int)Math.Ceiling(fraction * Count);
        return ToUs(SortedTicks[Math.Clamp(rank - 1, 0, Count - 1)]);
    }

    private static double ToUs(double ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
