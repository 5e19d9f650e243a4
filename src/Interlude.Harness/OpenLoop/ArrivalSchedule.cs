namespace Interlude.Harness.OpenLoop;

/// <summary>When an open-loop client sends each request, as offsets from the start of the run.</summary>
public static class ArrivalSchedule
{
    /// <summary>
    /// The send times (nanoseconds from the start) of <paramref name="count"/> requests at a mean of
    /// <paramref name="rate"/> per second: for <see cref="ArrivalProcess.Poisson"/> the gaps are exponentially
    /// distributed (inverse transform of a uniform draw from <paramref name="seed"/>), so the same seed gives the same
    /// schedule; for <see cref="ArrivalProcess.Constant"/> every gap is 1/<paramref name="rate"/>. The first request
    /// goes after one gap, not at zero.
    /// </summary>
    public static long[] Create(ArrivalProcess process, double rate, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!double.IsFinite(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate must be finite.");
        }

        var random = new Random(seed);
        double meanGapNs = 1e9 / rate;
        var offsets = new long[count];
        double at = 0;
        for (int i = 0; i < count; i++)
        {
            // 1 - NextDouble() is in (0, 1], so the logarithm is finite.
            at += process == ArrivalProcess.Poisson ? -Math.Log(1 - random.NextDouble()) * meanGapNs : meanGapNs;
            offsets[i] = (long)Math.Round(at);
        }

        return offsets;
    }
}
