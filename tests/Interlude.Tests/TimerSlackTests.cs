using Interlude.Native;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>Each loop thread sleeps with the timer slack its options ask for, so its timed sleeps end on time.</summary>
public sealed class TimerSlackTests
{
    [LinuxOnlyTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ALoopThreadHasTheDefaultOneMicrosecondSlack(WaitStrategy strategy)
    {
        LoopGroupOptions options = TestRig.LoopOptions(strategy);
        Assert.Equal(TimeSpan.FromMicroseconds(1), options.TimerSlack);
        await using var group = new LoopGroup(options);

        long slackNs = await group[0].RunAsync(() => ValueTask.FromResult(TimerSlack.CurrentThreadNs())).Guarded();

        Assert.Equal(1_000, slackNs);
    }

    [LinuxOnlyTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ASlackFromTheOptionsIsAppliedToEveryLoop(WaitStrategy strategy)
    {
        LoopGroupOptions options = TestRig.LoopOptions(strategy, loops: 2);
        options.TimerSlack = TimeSpan.FromMicroseconds(7);
        await using var group = new LoopGroup(options);

        long first = await group[0].RunAsync(() => ValueTask.FromResult(TimerSlack.CurrentThreadNs())).Guarded();
        long second = await group[1].RunAsync(() => ValueTask.FromResult(TimerSlack.CurrentThreadNs())).Guarded();

        Assert.Equal(7_000, first);
        Assert.Equal(7_000, second);
    }

    [LinuxOnlyTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task NullLeavesTheSlackANewThreadGets(WaitStrategy strategy)
    {
        long fresh = -1;
        var probe = new Thread(() => fresh = TimerSlack.CurrentThreadNs());
        probe.Start();
        probe.Join();
        LoopGroupOptions options = TestRig.LoopOptions(strategy);
        options.TimerSlack = null;
        await using var group = new LoopGroup(options);

        long slackNs = await group[0].RunAsync(() => ValueTask.FromResult(TimerSlack.CurrentThreadNs())).Guarded();

        Assert.True(fresh > 0);
        Assert.Equal(fresh, slackNs);
    }
}
