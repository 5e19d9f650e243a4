using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class BackpressureTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AFullSubmissionRingMakesSubmissionsWaitInsteadOfDropping(WaitStrategy strategy)
    {
        const int count = 500;
        await using TestRig rig = TestRig.Create(strategy, configureDevice: device =>
        {
            device.RingCapacity = 4;
            device.Lanes = 2;
            device.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(20));
        });
        Loop loop = rig.Loop;

        int[] results = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => loop.RunAsync(async () =>
            {
                int result = await rig.Device.SubmitAsync(static x => (x * 3) + 1, i);
                Assert.Same(loop, Loop.Current);
                return result;
            })))
            .Guarded();

        Assert.Equal(Enumerable.Range(0, count).Select(i => (i * 3) + 1), results);
        LoopStatistics stats = rig.Group.GetStatistics()[0];
        Assert.Equal(count, stats.OffloadsCompleted);
        Assert.True(stats.BackpressureWaits > 0, "no submission found the ring full");
        int peak = await loop.RunAsync(() => ValueTask.FromResult(rig.Device.ChannelOf(loop)!.PeakInRings)).Guarded();
        Assert.InRange(peak, 1, rig.Device.RingCapacity);
    }
}
