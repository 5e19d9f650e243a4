using Interlude.Harness.Measurement;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class LatencyHistogramAllocationTests
{
    [Fact]
    public void RecordingAllocatesNothing()
    {
        long[] values = SampleDistributions.Generate(SampleDistributions.AcrossTheWholeRange, 51);
        var histogram = new LatencyHistogram();
        histogram.Record(1);
        histogram.Record(1_000_000);
        histogram.Record(long.MaxValue);
        histogram.Record(-1);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 5; round++)
        {
            foreach (long value in values)
            {
                histogram.Record(value);
            }
        }

        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, after - before);
        Assert.Equal((5L * values.Length) + 4, histogram.Count);
    }

    [Fact]
    public void ReadingPercentilesAllocatesNothing()
    {
        var histogram = new LatencyHistogram();
        foreach (long value in SampleDistributions.Generate(SampleDistributions.Exponential, 52))
        {
            histogram.Record(value);
        }

        long sum = histogram.ValueAtQuantile(0.5);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int permille = 0; permille <= 1000; permille++)
        {
            sum += histogram.ValueAtQuantile(permille / 1000.0);
        }

        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, after - before);
        Assert.True(sum > 0);
    }
}
