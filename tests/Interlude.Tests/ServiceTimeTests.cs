using System.Diagnostics;
using Xunit;

namespace Interlude.Tests;

public sealed class ServiceTimeTests
{
    private const int Samples = 200_000;

    [Fact]
    public void AFixedServiceTimeIsAlwaysTheSame()
    {
        ServiceTime fixedTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(10));
        var random = new Random(1);

        long expected = (long)(TimeSpan.FromMicroseconds(10).TotalSeconds * Stopwatch.Frequency);
        Assert.All(Enumerable.Range(0, 1_000), _ => Assert.Equal(expected, fixedTime.SampleTicks(random)));
    }

    [Fact]
    public void AnExponentialServiceTimeHasTheRequestedMean()
    {
        double mean = TimeSpan.FromMicroseconds(100).TotalSeconds * Stopwatch.Frequency;
        long[] samples = Draw(ServiceTime.Exponential(TimeSpan.FromMicroseconds(100)), seed: 7);

        Assert.All(samples, s => Assert.True(s >= 0));
        Assert.InRange(samples.Average(), mean * 0.97, mean * 1.03);

        // P(X <= mean) = 1 - 1/e for an exponential distribution.
        double belowMean = samples.Count(s => s <= mean) / (double)Samples;
        Assert.InRange(belowMean, 0.622, 0.642);
    }

    [Fact]
    public void ALogNormalServiceTimeHasTheRequestedMedianAndShape()
    {
        const double sigma = 0.5;
        double median = TimeSpan.FromMicroseconds(50).TotalSeconds * Stopwatch.Frequency;
        long[] samples = Draw(ServiceTime.LogNormal(TimeSpan.FromMicroseconds(50), sigma), seed: 11);
        Array.Sort(samples);

        Assert.InRange(samples[Samples / 2], median * 0.97, median * 1.03);
        double[] logs = samples.Select(s => Math.Log(s)).ToArray();
        double logMean = logs.Average();
        double logDeviation = Math.Sqrt(logs.Sum(l => (l - logMean) * (l - logMean)) / logs.Length);
        Assert.InRange(logDeviation, sigma * 0.97, sigma * 1.03);

        // p99 / median = exp(2.326 * sigma), about 3.2 for sigma 0.5.
        double p99Ratio = samples[(int)(Samples * 0.99)] / median;
        Assert.InRange(p99Ratio, 3.2 * 0.9, 3.2 * 1.1);
    }

    [Fact]
    public void TheSameSeedDrawsTheSameServiceTimes()
    {
        ServiceTime time = ServiceTime.LogNormal(TimeSpan.FromMicroseconds(20), 1.0);

        Assert.Equal(Draw(time, seed: 3), Draw(time, seed: 3));
        Assert.NotEqual(Draw(time, seed: 3), Draw(time, seed: 4));
    }

    [Fact]
    public void DescriptionsNameTheDistribution()
    {
        Assert.Equal("fixed 10 us", ServiceTime.Fixed(TimeSpan.FromMicroseconds(10)).ToString());
        Assert.Equal("exponential, mean 25 us", ServiceTime.Exponential(TimeSpan.FromMicroseconds(25)).Description);
        Assert.Equal("lognormal, median 50 us, sigma 0.5", ServiceTime.LogNormal(TimeSpan.FromMicroseconds(50), 0.5).Description);
    }

    private static long[] Draw(ServiceTime time, int seed)
    {
        var random = new Random(seed);
        var samples = new long[Samples];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = time.SampleTicks(random);
        }

        return samples;
    }
}
