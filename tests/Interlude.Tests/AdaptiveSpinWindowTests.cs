using System.Diagnostics;
using Interlude.Waiting;
using Xunit;

namespace Interlude.Tests;

public sealed class AdaptiveSpinWindowTests
{
    private static readonly AdaptiveWaitOptions s_options = new()
    {
        IdleSpin = TimeSpan.FromMicroseconds(20),
        MinSpin = TimeSpan.FromMicroseconds(2),
        MaxSpin = TimeSpan.FromMicroseconds(200),
        DeviationFactor = 2,
    };

    [Fact]
    public void WithNoOffloadsInFlightTheWindowIsTheIdleSpin()
    {
        var wait = new AdaptivePolicy(s_options);

        Assert.Equal(Ticks(s_options.IdleSpin), wait.SpinWindowTicks(0, new CompletionLatencyEstimator()));
        Assert.Equal(Ticks(s_options.IdleSpin), wait.SpinWindowTicks(0, Estimator(TimeSpan.FromMicroseconds(50), 10)));
    }

    [Fact]
    public void WithOffloadsInFlightButNoLatencyObservedTheWindowIsTheMaximum()
    {
        var wait = new AdaptivePolicy(s_options);

        Assert.Equal(Ticks(s_options.MaxSpin), wait.SpinWindowTicks(3, new CompletionLatencyEstimator()));
    }

    [Fact]
    public void TheWindowIsTheMeanLatencyPlusDeviations()
    {
        var wait = new AdaptivePolicy(s_options);
        CompletionLatencyEstimator latency = Estimator(TimeSpan.FromMicroseconds(40), 1);

        // One sample of 40 us: mean 40 us, deviation 20 us, window 40 + 2 * 20 us.
        Assert.Equal(Ticks(TimeSpan.FromMicroseconds(80)), wait.SpinWindowTicks(1, latency), tolerance: 1);
    }

    [Fact]
    public void ShortLatenciesClampTheWindowToTheMinimum()
    {
        var wait = new AdaptivePolicy(s_options);

        Assert.Equal(Ticks(s_options.MinSpin), wait.SpinWindowTicks(1, Estimator(TimeSpan.FromTicks(1), 200)));
    }

    [Fact]
    public void LongLatenciesClampTheWindowToTheMaximum()
    {
        var wait = new AdaptivePolicy(s_options);

        Assert.Equal(Ticks(s_options.MaxSpin), wait.SpinWindowTicks(1, Estimator(TimeSpan.FromMilliseconds(5), 200)));
    }

    [Fact]
    public void TheWindowGrowsWithTheObservedLatency()
    {
        var wait = new AdaptivePolicy(s_options);
        var latency = new CompletionLatencyEstimator();

        Feed(latency, TimeSpan.FromMicroseconds(10), 100);
        long fast = wait.SpinWindowTicks(4, latency);
        Feed(latency, TimeSpan.FromMicroseconds(60), 100);
        long slower = wait.SpinWindowTicks(4, latency);

        Assert.InRange(fast, Ticks(s_options.MinSpin) + 1, Ticks(s_options.MaxSpin) - 1);
        Assert.InRange(slower, fast + 1, Ticks(s_options.MaxSpin) - 1);
    }

    [Fact]
    public void TheEstimatorTracksAnExponentiallyWeightedMeanAndDeviation()
    {
        var latency = new CompletionLatencyEstimator();

        latency.Record(100);
        Assert.Equal(100, latency.MeanTicks);
        Assert.Equal(50, latency.DeviationTicks);

        latency.Record(132);
        Assert.Equal(101, latency.MeanTicks);
        Assert.Equal(50 + ((32 - 50) / 32.0), latency.DeviationTicks, precision: 9);
        Assert.Equal(2, latency.Samples);
    }

    private static CompletionLatencyEstimator Estimator(TimeSpan latency, int samples)
    {
        var estimator = new CompletionLatencyEstimator();
        Feed(estimator, latency, samples);
        return estimator;
    }

    private static void Feed(CompletionLatencyEstimator estimator, TimeSpan latency, int samples)
    {
        for (int i = 0; i < samples; i++)
        {
            estimator.Record(Ticks(latency));
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
