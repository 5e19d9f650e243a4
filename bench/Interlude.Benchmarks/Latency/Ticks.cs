using System.Diagnostics;

namespace Interlude.Benchmarks.Latency;

/// <summary>Stopwatch-tick helpers shared by the measured modes.</summary>
internal static class Ticks
{
    internal static long From(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Busy-waits for <paramref name="ticks"/> on the calling thread.</summary>
    internal static void Spin(long ticks)
    {
        long until = Stopwatch.GetTimestamp() + ticks;
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(1);
        }
    }
}
