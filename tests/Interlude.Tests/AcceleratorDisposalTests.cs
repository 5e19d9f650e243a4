using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class AcceleratorDisposalTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task DisposingTheAcceleratorFailsInFlightOffloadsAndEndsItsThreads(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, configureDevice: device =>
        {
            device.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMinutes(10));
            device.Lanes = 4;
        });
        await AssertDisposalFailsEveryOffloadAsync(rig, inFlight: 8, accepted: 4);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task DisposingTheAcceleratorAlsoFailsSubmissionsWaitingForRingSpace(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, configureDevice: device =>
        {
            device.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMinutes(10));
            device.Lanes = 2;
            device.RingCapacity = 4;
        });
        await AssertDisposalFailsEveryOffloadAsync(rig, inFlight: 20, accepted: 2);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task SubmittingToADisposedAcceleratorThrowsObjectDisposedException(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy);
        rig.Device.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => rig.Loop.RunAsync(async () => await rig.Device.SubmitAsync(static x => x, 1)).Guarded());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await rig.Device.SubmitAsync(static x => x, 1));
        await Eventually.TrueAsync(() => !rig.Faults.IsEmpty, "the coroutine's exception is reported");
        Assert.IsType<ObjectDisposedException>(Assert.Single(rig.Faults).Exception);
    }

    private static async Task AssertDisposalFailsEveryOffloadAsync(TestRig rig, int inFlight, int accepted)
    {
        int running = 0;
        Task<Exception?>[] tasks = Enumerable.Range(0, inFlight)
            .Select(i => rig.Loop.RunAsync(async () =>
            {
                try
                {
                    await rig.Device.SubmitAsync(_ => Interlocked.Increment(ref running), i);
                    return null;
                }
                catch (Exception ex)
                {
                    Assert.Same(rig.Loop, Loop.Current);
                    return ex;
                }
            }))
            .ToArray();
        await Eventually.TrueAsync(() => Volatile.Read(ref running) == accepted, "every lane holds an offload");
        await Eventually.TrueAsync(() => rig.Group.GetStatistics()[0].OffloadsSubmitted == inFlight, "every offload is submitted");

        rig.Device.Dispose();

        Exception?[] outcomes = await Task.WhenAll(tasks).Guarded();
        Assert.All(outcomes, outcome => Assert.IsType<ObjectDisposedException>(outcome));
        Assert.All(rig.Device.Workers, worker => Assert.False(worker.Thread.IsAlive, $"{worker.Thread.Name} still runs"));
        Assert.Equal(accepted, Volatile.Read(ref running));

        int after = await rig.Loop.RunAsync(() => ValueTask.FromResult(7)).Guarded();
        Assert.Equal(7, after);
    }
}
