using System.Diagnostics;

namespace Interlude.Cuda.Bench;

/// <summary>Percentiles of latency samples and the process's CPU time.</summary>
internal static class Measure
{
    internal static TimeSpan ProcessCpu() => Environment.CpuUsage.TotalTime;

    internal static double Percentile(long[] sortedTicks, int count, double fraction)
    {
        if (count == 0)
        {
            return double.NaN;
        }

        int index = Math.Clamp((int)Math.Ceiling(fraction * count) - 1, 0, count - 1);
        return sortedTicks[index] * 1e6 / Stopwatch.Frequency;
    }

    /// <summary>The process's CPU over <paramref name="window"/> of doing nothing, in cores: what a mode costs idle.</summary>
    internal static async Task<double> IdleCpuAsync(TimeSpan window)
    {
        TimeSpan before = ProcessCpu();
        long start = Stopwatch.GetTimestamp();
        await Task.Delay(window).ConfigureAwait(false);
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (ProcessCpu() - before).TotalSeconds / wall;
    }
}
