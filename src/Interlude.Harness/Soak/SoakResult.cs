namespace Interlude.Harness.Soak;

/// <summary>What a soak run observed.</summary>
/// <param name="Settings">The run's settings.</param>
/// <param name="Counts">How every request ended.</param>
/// <param name="Samples">Memory and queue readings, about one a second.</param>
/// <param name="Shutdown">What stopping the loops found.</param>
public sealed record SoakResult(SoakSettings Settings, SoakCounts Counts, IReadOnlyList<MemorySample> Samples, ShutdownReport Shutdown)
{
    /// <summary>Whether every request that arrived ended exactly one way (none lost, none counted twice).</summary>
    public bool Balanced => Counts.Arrived == Counts.Ended;

    /// <summary>The largest resident set seen.</summary>
    public long PeakResidentBytes => Samples.Count == 0 ? 0 : Samples.Max(s => s.ResidentBytes);

    /// <summary>
    /// Growth of the managed heap from the end of the warm-up (the first 10 s, or the first third of a shorter run)
    /// to the end: the median of the readings just after the warm-up against the median of the last three.
    /// </summary>
    public double HeapGrowth
    {
        get
        {
            TimeSpan warmUp = Settings.Duration >= TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(10) : Settings.Duration / 3;
            long[] early = [.. Samples.Where(s => s.At >= warmUp).Take(3).Select(s => s.HeapBytes)];
            long[] late = [.. Samples.TakeLast(3).Select(s => s.HeapBytes)];
            return early.Length == 0 || late.Length == 0 ? 0 : (Median(late) / Median(early)) - 1;
        }
    }

    private static double Median(long[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
