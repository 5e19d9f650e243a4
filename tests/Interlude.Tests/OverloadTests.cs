using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// Bounded waiting for ring space and what happens past the bound, and cancelled work that must not cost the
/// device: each test fills a small device with operations that would hold it for an hour.
/// </summary>
public sealed class OverloadTests
{
    private static readonly TimeSpan s_forever = TimeSpan.FromHours(1);

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task PastTheWaitingBoundANewSubmissionIsRefusedAtOnceWithAnOverloadError(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, configureDevice: Small(OffloadOverflow.Reject));
        using var stop = new CancellationTokenSource();
        Loop loop = rig.Loop;

        Task[] held = await Fill(rig, stop.Token);
        AcceleratorOverloadedException error = await Assert.ThrowsAsync<AcceleratorOverloadedException>(
            () => loop.RunAsync(() => rig.Device.SubmitAsync(s_forever, stop.Token)).Guarded());

        Assert.Contains("MaxQueuedSubmissions", error.Message, StringComparison.Ordinal);
        LoopStatistics stats = rig.Group.GetStatistics()[0];
        Assert.Equal(1, stats.OffloadsRejected);
        Assert.Equal(2, stats.QueuedSubmissions);
        Assert.All(held, t => Assert.False(t.IsCompleted));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(held).Guarded());
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task WithShedOldestTheLongestWaitingSubmissionFailsToMakeRoomForTheNewOne(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, configureDevice: Small(OffloadOverflow.ShedOldest));
        using var stop = new CancellationTokenSource();
        Loop loop = rig.Loop;

        Task[] held = await Fill(rig, stop.Token);
        Task newest = await Submit(loop, rig.Device, stop.Token);

        // held[0..1] are in the rings, held[2..3] wait: held[2] is the oldest waiter.
        await Assert.ThrowsAsync<AcceleratorOverloadedException>(() => held[2].Guarded());
        Assert.False(held[3].IsCompleted);
        Assert.False(newest.IsCompleted);
        LoopStatistics stats = rig.Group.GetStatistics()[0];
        Assert.Equal(1, stats.OffloadsShed);
        Assert.Equal(2, stats.QueuedSubmissions);
        await stop.CancelAsync();
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ASubmissionCancelledWhileWaitingForRingSpaceLeavesTheQueueAtOnce(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, configureDevice: Small(OffloadOverflow.Reject));
        using var stop = new CancellationTokenSource();
        using var waiting = new CancellationTokenSource();
        Loop loop = rig.Loop;
        Task[] held = await Fill(rig, stop.Token, lastTwo: waiting.Token);

        await waiting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(held[2], held[3]).Guarded());

        Assert.Equal(0, await loop.RunAsync(() => ValueTask.FromResult(rig.Group.GetStatistics()[0].QueuedSubmissions)).Guarded());
        await stop.CancelAsync();
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ACancelledOperationWithoutWorkGivesItsLaneBackInsteadOfHoldingItForItsServiceTime(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, configureDevice: device =>
        {
            device.Lanes = 1;
            device.RingCapacity = 4;
        });
        using var cancel = new CancellationTokenSource();
        Loop loop = rig.Loop;
        Task hog = await Submit(loop, rig.Device, cancel.Token);
        await Task.Delay(20);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hog.Guarded());

        // The one lane is free again: a short operation completes instead of waiting an hour behind the hog.
        await loop.RunAsync(() => rig.Device.SubmitAsync(TimeSpan.FromMicroseconds(10))).Guarded();
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StoppingCancelsTheSubmissionsWaitingForRingSpaceAsWellAsThoseInTheRings(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy);
        using SimulatedAccelerator device = TestRig.CreateDevice(Small(OffloadOverflow.Reject));
        Task[] held = [.. Enumerable.Range(0, 4).Select(_ => group[0].RunAsync(() => device.SubmitAsync(s_forever)))];
        await Eventually.TrueAsync(() => group.GetStatistics()[0].OffloadsSubmitted == 4, "two offloads are in the rings and two wait");

        ShutdownReport report = await group.StopAsync(TimeSpan.Zero).Guarded();

        Assert.Equal(4, report.CancelledOffloads);
        Assert.Equal(0, report.Abandoned);
        Assert.All(held, t => Assert.True(t.IsCanceled, $"an offload's task is {t.Status}"));
    }

    [Fact]
    public void TheWaitingBoundAndTheOverflowPolicyAreValidatedByName()
    {
        Assert.Equal("MaxQueuedSubmissions", Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedAccelerator(new SimulatedAcceleratorOptions { MaxQueuedSubmissions = -1 })).ParamName);
        Assert.Equal("Overflow", Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedAccelerator(new SimulatedAcceleratorOptions { Overflow = (OffloadOverflow)7 })).ParamName);
    }

    private static Action<SimulatedAcceleratorOptions> Small(OffloadOverflow overflow) => device =>
    {
        device.Lanes = 2;
        device.RingCapacity = 2;
        device.MaxQueuedSubmissions = 2;
        device.Overflow = overflow;
    };

    /// <summary>Two operations in the rings (holding both lanes) and two waiting for ring space.</summary>
    private static async Task<Task[]> Fill(TestRig rig, CancellationToken token, CancellationToken? lastTwo = null)
    {
        var held = new Task[4];
        for (int i = 0; i < held.Length; i++)
        {
            held[i] = await Submit(rig.Loop, rig.Device, i < 2 ? token : lastTwo ?? token);
        }

        return held;
    }

    /// <summary>Submits on the loop and returns the offload's task once the submission has been made.</summary>
    private static async Task<Task> Submit(Loop loop, SimulatedAccelerator device, CancellationToken token)
    {
        Task? offload = null;
        await loop.RunAsync(() =>
        {
            offload = device.SubmitAsync(s_forever, token).AsTask();
            return ValueTask.CompletedTask;
        }).Guarded();
        return offload!;
    }
}
