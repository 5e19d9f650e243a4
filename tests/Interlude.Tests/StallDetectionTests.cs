using System.Collections.Concurrent;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class StallDetectionTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ABlockingCallOnALoopIsReportedAsAStallWhileItLastsAndAgainWithItsLengthWhenItEnds(WaitStrategy strategy)
    {
        await using LoopGroup group = CreateGroup(strategy, out ConcurrentQueue<LoopStallEventArgs> stalls);

        // Blocks until the detector has reported the stall at least twice (it goes on), in 50 ms steps.
        await group[1].RunAsync(() =>
        {
            for (int i = 0; i < 400 && stalls.Count(s => s.LoopIndex == 1) < 2; i++)
            {
                Thread.Sleep(50);
            }

            return ValueTask.CompletedTask;
        }).Guarded();
        await Eventually.TrueAsync(() => stalls.Any(s => s.LoopIndex == 1 && s.HasEnded), "the stall's end is reported");

        LoopStallEventArgs[] reports = [.. stalls.Where(s => s.LoopIndex == 1)];
        Assert.True(reports.Length >= 3, $"{reports.Length} reports: expected the start, at least one while it went on, and the end");
        Assert.True(reports[^1].HasEnded);
        Assert.All(reports[..^1], r => Assert.False(r.HasEnded));
        Assert.True(reports[^1].StalledFor >= reports[^2].StalledFor, "the end reports the whole stall, at least as long as the last report while it went on");
        Assert.True(reports[1].StalledFor >= 2 * reports[0].StalledFor - TimeSpan.FromMilliseconds(1), "a stall going on is reported again once its length has doubled");
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(LoopStallCause.Blocked, reports[^1].Cause);
        }

        Assert.Equal(2, await group[1].RunAsync(() => ValueTask.FromResult(2)).Guarded());
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ALoopKeptBusyByCodeOnItIsReportedAsBusyNotBlocked(WaitStrategy strategy)
    {
        await using LoopGroup group = CreateGroup(strategy, out ConcurrentQueue<LoopStallEventArgs> stalls);

        await group[1].RunAsync(() =>
        {
            var spinning = System.Diagnostics.Stopwatch.StartNew();
            while (!stalls.Any(s => s.LoopIndex == 1) && spinning.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.SpinWait(1000);
            }

            return ValueTask.CompletedTask;
        }).Guarded();
        await Eventually.TrueAsync(() => stalls.Any(s => s.LoopIndex == 1 && s.HasEnded), "the stall's end is reported");

        LoopStallEventArgs end = stalls.Last(s => s.LoopIndex == 1);
        LoopStallCause[] expected = OperatingSystem.IsLinux() ? [LoopStallCause.Busy, LoopStallCause.Descheduled] : [LoopStallCause.Unknown];
        Assert.Contains(end.Cause, expected);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AStalledHandlerThatThrowsDoesNotStopTheReports(WaitStrategy strategy)
    {
        await using LoopGroup group = CreateGroup(strategy, out ConcurrentQueue<LoopStallEventArgs> stalls);
        group.Stalled += (_, _) => throw new InvalidOperationException("a broken handler");

        await group[1].RunAsync(() =>
        {
            for (int i = 0; i < 400 && !stalls.Any(s => s.LoopIndex == 1); i++)
            {
                Thread.Sleep(50);
            }

            return ValueTask.CompletedTask;
        }).Guarded();

        Assert.Contains(stalls, s => s.LoopIndex == 1);
    }

    private static LoopGroup CreateGroup(WaitStrategy strategy, out ConcurrentQueue<LoopStallEventArgs> stalls)
    {
        LoopGroupOptions options = TestRig.LoopOptions(strategy, loops: 2);
        options.StallThreshold = TimeSpan.FromMilliseconds(20);
        var group = new LoopGroup(options);
        var reports = new ConcurrentQueue<LoopStallEventArgs>();
        group.Stalled += (_, stall) => reports.Enqueue(stall);
        stalls = reports;
        return group;
    }
}
