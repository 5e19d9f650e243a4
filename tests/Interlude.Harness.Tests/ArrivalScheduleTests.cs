using Interlude.Harness.OpenLoop;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary>The open loop's send times: exponential gaps at the mean rate for Poisson arrivals, equal gaps otherwise.</summary>
public sealed class ArrivalScheduleTests
{
    private const int Count = 20_000;
    private const double Rate = 1000;

    [Fact]
    public void Poisson_gaps_have_the_mean_rate_and_an_exponential_shape()
    {
        double[] gaps = Gaps(ArrivalSchedule.Create(ArrivalProcess.Poisson, Rate, Count, seed: 42));

        double mean = gaps.Average();
        double deviation = Math.Sqrt(gaps.Sum(g => (g - mean) * (g - mean)) / (gaps.Length - 1));
        // An exponential distribution: standard deviation equal to the mean, e^-1 of the gaps above the mean,
        // and half of them below ln 2 times the mean.
        Assert.InRange(mean, 0.97e6, 1.03e6);
        Assert.InRange(deviation / mean, 0.95, 1.05);
        Assert.InRange(gaps.Count(g => g > mean) / (double)gaps.Length, Math.Exp(-1) - 0.015, Math.Exp(-1) + 0.015);
        Assert.InRange(gaps.Count(g => g < Math.Log(2) * 1e6) / (double)gaps.Length, 0.485, 0.515);
    }

    [Fact]
    public void The_same_seed_gives_the_same_schedule_and_another_seed_another()
    {
        long[] first = ArrivalSchedule.Create(ArrivalProcess.Poisson, Rate, 100, seed: 1);

        Assert.Equal(first, ArrivalSchedule.Create(ArrivalProcess.Poisson, Rate, 100, seed: 1));
        Assert.NotEqual(first, ArrivalSchedule.Create(ArrivalProcess.Poisson, Rate, 100, seed: 2));
        Assert.True(first.Zip(first.Skip(1)).All(pair => pair.First <= pair.Second), "the send times are not in order");
    }

    [Fact]
    public void Constant_arrivals_are_evenly_spaced()
    {
        long[] schedule = ArrivalSchedule.Create(ArrivalProcess.Constant, 200, 5, seed: 42);

        Assert.Equal([5_000_000, 10_000_000, 15_000_000, 20_000_000, 25_000_000], schedule);
    }

    private static double[] Gaps(long[] schedule)
        => [.. schedule.Select((at, i) => (double)(at - (i == 0 ? 0 : schedule[i - 1])))];
}
