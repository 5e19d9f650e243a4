using Interlude.Harness.Measurement;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class LatencyHistogramMergeTests
{
    [Theory]
    [InlineData(SampleDistributions.Exponential, 41)]
    [InlineData(SampleDistributions.LogNormalHeavyTail, 42)]
    [InlineData(SampleDistributions.AcrossTheWholeRange, 43)]
    public void MergingPerWriterHistogramsGivesWhatRecordingEverythingInOneGives(string distribution, int seed)
    {
        long[] values = SampleDistributions.Generate(distribution, seed);
        var whole = new LatencyHistogram();
        LatencyHistogram[] parts = [new(), new(), new(), new()];
        for (int i = 0; i < values.Length; i++)
        {
            whole.Record(values[i]);
            parts[i % parts.Length].Record(values[i]);
        }

        var merged = new LatencyHistogram();
        foreach (LatencyHistogram part in parts)
        {
            merged.Add(part);
        }

        AssertSameContents(whole, merged);
    }

    [Fact]
    public void MergingAnEmptyHistogramChangesNothing()
    {
        LatencyHistogram histogram = Recorded(300, 5_000, 70_000);
        LatencyHistogram unchanged = Recorded(300, 5_000, 70_000);

        histogram.Add(new LatencyHistogram());

        AssertSameContents(unchanged, histogram);
    }

    [Fact]
    public void MergingIntoAnEmptyHistogramTakesTheOthersValuesAndBounds()
    {
        var histogram = new LatencyHistogram();

        histogram.Add(Recorded(300, 5_000, 70_000));

        AssertSameContents(Recorded(300, 5_000, 70_000), histogram);
        Assert.Equal(300, histogram.Min);
        Assert.Equal(70_000, histogram.Max);
    }

    [Fact]
    public void MergingTwoEmptyHistogramsLeavesAnEmptyOne()
    {
        var histogram = new LatencyHistogram();

        histogram.Add(new LatencyHistogram());

        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.ValueAtQuantile(0.5));
    }

    [Fact]
    public void AHistogramKeepsRecordingAfterAMerge()
    {
        LatencyHistogram histogram = Recorded(1_000);
        histogram.Add(Recorded(2_000));

        histogram.Record(10);

        Assert.Equal(3, histogram.Count);
        Assert.Equal(10, histogram.Min);
        Assert.Equal(2_000, histogram.Max);
    }

    private static LatencyHistogram Recorded(params long[] values)
    {
        var histogram = new LatencyHistogram();
        foreach (long value in values)
        {
            histogram.Record(value);
        }

        return histogram;
    }

    private static void AssertSameContents(LatencyHistogram expected, LatencyHistogram actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        for (int permille = 0; permille <= 1000; permille++)
        {
            double quantile = permille / 1000.0;
            Assert.Equal(expected.ValueAtQuantile(quantile), actual.ValueAtQuantile(quantile));
        }

        Assert.Equal(expected.ValueAtQuantile(0.9999), actual.ValueAtQuantile(0.9999));
    }
}
