namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>Seeded, reproducible sets of latency-like values for histogram tests.</summary>
internal static class SampleDistributions
{
    /// <summary>The largest value the histogram covers with its documented precision: 2^48 - 1.</summary>
    public const long LargestCovered = (1L << 48) - 1;

    public const string Uniform = "uniform";
    public const string Exponential = "exponential";
    public const string LogNormalHeavyTail = "lognormal heavy tail";
    public const string Constant = "constant";
    public const string Tiny = "tiny";
    public const string Huge = "huge";
    public const string AcrossTheWholeRange = "across the whole range";
    public const string SingleSample = "single sample";

    public static long[] Generate(string distribution, int seed)
    {
        var random = new Random(seed);
        const int count = 200_000;
        return distribution switch
        {
            Uniform => Repeat(count, () => random.NextInt64(0, 2_000_000)),
            Exponential => Repeat(count, () => (long)(-50_000 * Math.Log(1 - random.NextDouble()))),
            LogNormalHeavyTail => Repeat(count, () => (long)Math.Exp(Math.Log(20_000) + (2.0 * StandardNormal(random)))),
            Constant => Repeat(count, () => 123_456_789),
            Tiny => Repeat(count, () => random.NextInt64(0, 300)),
            Huge => Repeat(count, () => random.NextInt64(1L << 40, LargestCovered + 1)),
            AcrossTheWholeRange => Repeat(count, () => (long)Math.Pow(2, random.NextDouble() * 48)),
            SingleSample => [987_654_321],
            _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "Unknown distribution."),
        };
    }

    private static long[] Repeat(int count, Func<long> next)
    {
        var values = new long[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Math.Clamp(next(), 0, LargestCovered);
        }

        return values;
    }

    private static double StandardNormal(Random random)
    {
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
