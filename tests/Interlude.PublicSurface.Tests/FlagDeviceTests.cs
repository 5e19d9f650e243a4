using CustomDevice;
using Interlude.PublicSurface.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.PublicSurface.Tests;

/// <summary>The CustomDevice sample's polled device: completions found by polling host memory, on every wait strategy.</summary>
public sealed class FlagDeviceTests
{
    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task EveryOffloadCompletesAndResumesOnTheLoopThatSubmittedIt(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy, count: 2);
        using var device = new FlagDevice();

        int[] strays = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => loops.RunAsync(async () =>
        {
            Loop loop = Loop.Current!;
            int stray = 0;
            for (int i = 0; i < 50; i++)
            {
                await device.SubmitAsync(TimeSpan.FromMicroseconds(i % 7 * 5));
                stray += Loop.Current == loop ? 0 : 1;
            }

            return stray;
        }))).Guarded();

        Assert.All(strays, s => Assert.Equal(0, s));
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task SubmissionsBeyondTheQueueCapacityWaitAndAllComplete(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var device = new FlagDevice(new FlagDeviceOptions { QueueCapacity = 4 });

        int completed = await loops.RunAsync(async () =>
        {
            ValueTask[] pending = [.. Enumerable.Range(0, 100).Select(_ => device.SubmitAsync(TimeSpan.FromMicroseconds(10)))];
            foreach (ValueTask offload in pending)
            {
                await offload;
            }

            return pending.Length;
        }).Guarded();

        Assert.Equal(100, completed);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task DisposingTheDeviceFailsWhatIsInFlightOnItsLoop(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        var device = new FlagDevice();
        Task? inFlight = null;
        await loops[0].RunAsync(() =>
        {
            inFlight = device.SubmitAsync(TimeSpan.FromMinutes(10)).AsTask();
            return ValueTask.CompletedTask;
        }).Guarded();

        device.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => inFlight!.Guarded());
    }

    [Fact]
    public void SubmittingOffAnyLoopIsRefused()
    {
        using var device = new FlagDevice();

        Assert.Throws<InvalidOperationException>(() => device.SubmitAsync(TimeSpan.Zero));
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ALoopThatExitsFailsTheOperationsItLeavesOnTheDevice(WaitStrategy strategy)
    {
        using var device = new FlagDevice();
        LoopGroup loops = TestLoops.Create(strategy);
        Task? inFlight = null;
        await loops[0].RunAsync(() =>
        {
            inFlight = device.SubmitAsync(TimeSpan.FromMinutes(10)).AsTask();
            return ValueTask.CompletedTask;
        }).Guarded();

        await loops.StopAsync(TimeSpan.Zero).Guarded();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => inFlight!.Guarded());
    }
}
