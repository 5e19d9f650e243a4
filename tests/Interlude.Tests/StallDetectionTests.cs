using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class StallDetectionTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ABlockingCallOnALoopIsReportedAsAStall(WaitStrategy strategy)
    {
        LoopGroupOptions options = TestRig.LoopOptions(strategy, loops: 2);
        options.StallThreshold = TimeSpan.FromMilliseconds(20);
        await using var group = new LoopGroup(options);
        var stalled = new TaskCompletionSource<LoopStallEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        group.Stalled += (_, stall) =>
        {
            if (stall.LoopIndex == 1)
            {
                stalled.TrySetResult(stall);
            }
        };

        // Blocks until the detector notices, in 200 ms steps, so a late sampling timer cannot miss it.
        await group[1].RunAsync(() =>
        {
            for (int i = 0; i < 100 && !stalled.Task.IsCompleted; i++)
            {
                Thread.Sleep(200);
            }

            return ValueTask.CompletedTask;
        }).Guarded();

        Assert.True(stalled.Task.IsCompleted, "no stall was reported for the blocked loop");
        Assert.Equal(1, (await stalled.Task).LoopIndex);
        Assert.Equal(2, await group[1].RunAsync(() => ValueTask.FromResult(2)).Guarded());
    }
}
