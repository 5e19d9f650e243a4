using Interlude.Harness.Measurement;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class HtmlLatencyCdfTests
{
    [Fact]
    public void AnEmptyHistogramHasNoDistribution() => Assert.Empty(new LatencyHistogram().CumulativeDistribution());

    [Fact]
    public void RunsFromTheSmallestValueAtZeroToTheLargestAtOne()
    {
        var histogram = new LatencyHistogram();
        foreach (long value in (long[])[5_000, 12, 1_234_567, 300, 300])
        {
            histogram.Record(value);
        }

        IReadOnlyList<(long Value, double Fraction)> cdf = histogram.CumulativeDistribution();

        Assert.Equal((12L, 0.0), cdf[0]);
        Assert.Equal((1_234_567L, 1.0), cdf[^1]);
    }

    [Fact]
    public void EndsAtTheMaximumEvenBeyondTheCoveredRange()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(100);
        histogram.Record(long.MaxValue);

        IReadOnlyList<(long Value, double Fraction)> cdf = histogram.CumulativeDistribution();

        Assert.Equal((long.MaxValue, 1.0), cdf[^1]);
    }

    [Fact]
    public void EachFractionIsTheShareOfValuesAtOrBelowItsPoint()
    {
        var random = new Random(7);
        var histogram = new LatencyHistogram();
        long[] values = Enumerable.Range(0, 50_000).Select(_ => (long)Math.Exp(random.NextDouble() * 16)).ToArray();
        foreach (long value in values)
        {
            histogram.Record(value);
        }

        Array.Sort(values);
        IReadOnlyList<(long Value, double Fraction)> cdf = histogram.CumulativeDistribution();

        for (int i = 1; i < cdf.Count; i++)
        {
            Assert.True(cdf[i].Value >= cdf[i - 1].Value);
            Assert.True(cdf[i].Fraction > cdf[i - 1].Fraction);
            int atOrBelow = UpperBound(values, cdf[i].Value);
            Assert.Equal((double)atOrBelow / values.Length, cdf[i].Fraction, 12);
        }
    }

    private static int UpperBound(long[] sorted, long value)
    {
        int low = 0;
        int high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (sorted[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
