using Interlude.Harness.Measurement;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class LatencyHistogramPercentileTests
{
    /// <summary>The histogram's documented precision: a reported value is within 0.4% of the true one.</summary>
    private const double DocumentedRelativeError = 0.004;

    private static readonly double[] s_reportedQuantiles = [0, 0.5, 0.9, 0.99, 0.999, 1];

    [Theory]
    [InlineData(SampleDistributions.Uniform, 1)]
    [InlineData(SampleDistributions.Uniform, 2)]
    [InlineData(SampleDistributions.Exponential, 3)]
    [InlineData(SampleDistributions.LogNormalHeavyTail, 4)]
    [InlineData(SampleDistributions.LogNormalHeavyTail, 5)]
    [InlineData(SampleDistributions.Constant, 6)]
    [InlineData(SampleDistributions.Tiny, 7)]
    [InlineData(SampleDistributions.Huge, 8)]
    [InlineData(SampleDistributions.AcrossTheWholeRange, 9)]
    [InlineData(SampleDistributions.SingleSample, 10)]
    public void ReportedPercentilesAreWithinTheDocumentedErrorOfTheExactSortedPercentiles(string distribution, int seed)
    {
        long[] values = SampleDistributions.Generate(distribution, seed);
        LatencyHistogram histogram = RecordAll(values);
        long[] sorted = values.Order().ToArray();

        foreach (double quantile in s_reportedQuantiles)
        {
            long exact = SortedReference.ValueAtQuantile(sorted, quantile);
            long reported = histogram.ValueAtQuantile(quantile);
            Assert.True(
                Math.Abs(reported - exact) <= exact * DocumentedRelativeError,
                $"{distribution}: p{quantile * 100:G} reported {reported}, exact {exact}");
        }
    }

    [Theory]
    [InlineData(SampleDistributions.Uniform, 11)]
    [InlineData(SampleDistributions.Exponential, 12)]
    [InlineData(SampleDistributions.LogNormalHeavyTail, 13)]
    [InlineData(SampleDistributions.AcrossTheWholeRange, 14)]
    public void EveryQuantileIsWithinTheDocumentedErrorNotOnlyTheReportedOnes(string distribution, int seed)
    {
        long[] values = SampleDistributions.Generate(distribution, seed);
        LatencyHistogram histogram = RecordAll(values);
        long[] sorted = values.Order().ToArray();

        for (int permille = 0; permille <= 1000; permille++)
        {
            double quantile = permille / 1000.0;
            long exact = SortedReference.ValueAtQuantile(sorted, quantile);
            long reported = histogram.ValueAtQuantile(quantile);
            Assert.True(
                Math.Abs(reported - exact) <= exact * DocumentedRelativeError,
                $"{distribution}: q = {quantile:G} reported {reported}, exact {exact}");
        }
    }

    [Theory]
    [InlineData(SampleDistributions.Uniform, 21)]
    [InlineData(SampleDistributions.LogNormalHeavyTail, 22)]
    [InlineData(SampleDistributions.Huge, 23)]
    [InlineData(SampleDistributions.SingleSample, 24)]
    public void ReportedPercentilesRiseWithTheQuantileAndStayBetweenTheSmallestAndLargestValues(string distribution, int seed)
    {
        long[] values = SampleDistributions.Generate(distribution, seed);
        LatencyHistogram histogram = RecordAll(values);

        Assert.Equal(values.Length, histogram.Count);
        Assert.Equal(values.Min(), histogram.Min);
        Assert.Equal(values.Max(), histogram.Max);
        long previous = long.MinValue;
        for (int permille = 0; permille <= 1000; permille++)
        {
            long reported = histogram.ValueAtQuantile(permille / 1000.0);
            Assert.InRange(reported, histogram.Min, histogram.Max);
            Assert.True(reported >= previous, $"q = {permille / 1000.0:G} reported {reported}, below {previous} for a smaller quantile");
            previous = reported;
        }
    }

    [Theory]
    [InlineData(0.0, 10)]
    [InlineData(0.1, 10)]
    [InlineData(0.11, 20)]
    [InlineData(0.5, 50)]
    [InlineData(0.500001, 60)]
    [InlineData(0.9, 90)]
    [InlineData(0.99, 100)]
    [InlineData(1.0, 100)]
    public void APercentileIsTheValueOfNearestRankCountingFromOne(double quantile, long expected)
    {
        LatencyHistogram histogram = RecordAll([100, 30, 10, 80, 50, 20, 90, 40, 70, 60]);

        Assert.Equal(expected, histogram.ValueAtQuantile(quantile));
    }

    [Fact]
    public void ValuesBelowTwoHundredFiftySixAreCountedExactly()
    {
        long[] values = SampleDistributions.Generate(SampleDistributions.Tiny, 31).Where(v => v < 256).ToArray();
        LatencyHistogram histogram = RecordAll(values);
        long[] sorted = values.Order().ToArray();

        for (int permille = 0; permille <= 1000; permille++)
        {
            double quantile = permille / 1000.0;
            Assert.Equal(SortedReference.ValueAtQuantile(sorted, quantile), histogram.ValueAtQuantile(quantile));
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(12_345_678L)]
    [InlineData(SampleDistributions.LargestCovered)]
    public void ASingleValueIsReportedExactlyAtEveryQuantile(long value)
    {
        LatencyHistogram histogram = RecordAll([value]);

        foreach (double quantile in s_reportedQuantiles)
        {
            Assert.Equal(value, histogram.ValueAtQuantile(quantile));
        }
    }

    [Fact]
    public void AnEmptyHistogramReportsZeroEverywhere()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.Max);
        foreach (double quantile in s_reportedQuantiles)
        {
            Assert.Equal(0, histogram.ValueAtQuantile(quantile));
        }
    }

    [Fact]
    public void ANegativeValueIsRecordedAsZero()
    {
        LatencyHistogram histogram = RecordAll([-5, 10]);

        Assert.Equal(2, histogram.Count);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.ValueAtQuantile(0.5));
    }

    [Fact]
    public void ValuesBeyondTheCoveredRangeAreCountedWithoutThrowingAndKeepAnExactMaximum()
    {
        LatencyHistogram histogram = RecordAll([200, SampleDistributions.LargestCovered + 1, long.MaxValue]);

        Assert.Equal(3, histogram.Count);
        Assert.Equal(long.MaxValue, histogram.Max);
        Assert.Equal(200, histogram.ValueAtQuantile(0));
        Assert.InRange(histogram.ValueAtQuantile(1), 200, long.MaxValue);
    }

    [Fact]
    public void EveryBucketStartsWhereThePreviousEndsAndHoldsExactlyTheValuesThatMapToIt()
    {
        long expectedStart = 0;
        for (int index = 0; ; index++)
        {
            long start = LatencyHistogram.LowerBound(index);
            long width = LatencyHistogram.Width(index);
            Assert.Equal(expectedStart, start);
            Assert.Equal(index, LatencyHistogram.IndexOf(start));
            Assert.Equal(index, LatencyHistogram.IndexOf(start + width - 1));
            Assert.True(width - 1 <= Math.Max(0, start) * DocumentedRelativeError * 2, $"bucket {index} from {start} is {width} wide");
            expectedStart = start + width;
            if (expectedStart > SampleDistributions.LargestCovered)
            {
                break;
            }
        }

        Assert.Equal(SampleDistributions.LargestCovered + 1, expectedStart);
    }

    private static LatencyHistogram RecordAll(long[] values)
    {
        var histogram = new LatencyHistogram();
        foreach (long value in values)
        {
            histogram.Record(value);
        }

        return histogram;
    }
}
