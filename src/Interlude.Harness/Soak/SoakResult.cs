namespace Interlude.Harness.Soak;

/// <summary>What a soak run observed.</summary>
/// <param name="Settings">The run's settings.</param>
/// <param name="Counts">How every request ended.</param>
/// <param name="Samples">Memory and queue readings, about one a second.</param>
/// <param name="Shutdown">What stopping the loops found.</param>
/// <param name="StopTook">How long <see cref="LoopGroup.StopAsync"/> took to return.</param>
/// <param name="StopDrain">The drain timeout it was given: it must return within that plus <see cref="LoopGroup.StopGrace"/>.</param>
public sealed record SoakResult(SoakSettings Settings, SoakCounts Counts, IReadOnlyList<MemorySample> Samples, ShutdownReport Shutdown, TimeSpan StopTook, TimeSpan StopDrain)
{
    /// <summary>
    /// Whether every request that arrived ended, or was abandoned on a deadlocked loop, exactly one way. The stop
    /// also abandons two coroutines there that are not requests: the one that blocks the loop, and the loop's driver.
    /// </summary>
    public bool BalancedWithAbandoned => Counts.Arrived == Counts.Ended + Shutdown.Abandoned - (Settings.DeadlockOneLoop ? 2 : 0);

    /// <summary>Whether every request that arrived ended exactly one way (none lost, none counted twice).</summary>
    public bool Balanced => Counts.Arrived == Counts.Ended;

    /// <summary>The largest resident set seen.</summary>
    public long PeakResidentBytes => Samples.Count == 0 ? 0 : Samples.Max(s => s.ResidentBytes);

    /// <summary>
    /// Growth of the managed heap's peaks from just after the warm-up (the first 10 s, or the first third of a
    /// shorter run) to the end: the largest reading in a window after the warm-up against the largest in the last
    /// window of the same length. Peaks, because between collections the heap rises and falls in a sawtooth.
    /// </summary>
    public double HeapGrowth => Growth(static s => s.HeapBytes, Max);

    /// <summary>Growth of the resident set from just after the warm-up to the end (medians of the same two windows).</summary>
    public double ResidentGrowth => Growth(static s => s.ResidentBytes, Median);

    private double Growth(Func<MemorySample, long> read, Func<long[], double> summarize)
    {
        TimeSpan warmUp = Settings.Duration >= TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(10) : Settings.Duration / 3;
        TimeSpan window = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, Settings.Duration.Ticks / 3));
        TimeSpan end = Samples.Count == 0 ? TimeSpan.Zero : Samples[^1].At;
        long[] early = [.. Samples.Where(s => s.At >= warmUp && s.At < warmUp + window).Select(read)];
        long[] late = [.. Samples.Where(s => s.At > end - window).Select(read)];
        return early.Length == 0 || late.Length == 0 ? 0 : (summarize(late) / summarize(early)) - 1;
    }

    private static double Max(long[] values) => values.Max();

    private static double Median(long[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
