using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// Stopping ends whatever the application does: a loop blocked by user code, a coroutine suspended on something
/// outside Interlude, a device thread stuck in a work function. The hang guards are the only clocks here.
/// </summary>
public sealed class BoundedStopTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StopReturnsAndReportsTheLoopAUserBlockedInsteadOfWaitingForIt(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        using var release = new ManualResetEventSlim(false);
        int blocked = 0;
        group[0].Spawn(() =>
        {
            // A blocking wait on a loop thread, as a sync-over-async .Result would make.
            Interlocked.Exchange(ref blocked, 1);
            release.Wait();
            return ValueTask.CompletedTask;
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref blocked) == 1, "the loop is blocked");

        try
        {
            ShutdownReport report = await group.StopAsync(TimeSpan.Zero).Guarded();

            Assert.False(report.Drained);
            Assert.Equal(1, report.UnresponsiveLoops);
            Assert.Equal(1, report.Abandoned);
            Assert.False(group[1].Thread.IsAlive, "the healthy loop still runs");
        }
        finally
        {
            release.Set();
        }
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TheTaskOfACoroutineThatStopAbandonsCompletesWithCancellation(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy);
        var never = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int suspended = 0;
        Task<int> coroutine = group.RunAsync(async () =>
        {
            Interlocked.Exchange(ref suspended, 1);
            return await never.Task;
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref suspended) == 1, "the coroutine is suspended");

        ShutdownReport report = await group.StopAsync(TimeSpan.Zero).Guarded();

        Assert.Equal(1, report.Abandoned);
        Assert.Equal(0, report.UnresponsiveLoops);
        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => coroutine.Guarded());
        Assert.Contains("abandoned", error.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnOffloadAwaitedOutsideAnyCoroutineIsCancelledEvenWhenTheDrainSucceeds(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy);
        using SimulatedAccelerator device = TestRig.CreateDevice(o => o.ServiceTime = ServiceTime.Fixed(TimeSpan.FromHours(1)));
        Task? handedOut = null;
        await group[0].RunAsync(() =>
        {
            handedOut = device.SubmitAsync().AsTask();
            return ValueTask.CompletedTask;
        }).Guarded();

        ShutdownReport report = await group.StopAsync(TimeSpan.FromSeconds(5)).Guarded();

        Assert.True(report.Drained);
        Assert.Equal(1, report.CancelledOffloads);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handedOut!.Guarded());
    }

    [Fact]
    public async Task DisposingADeviceWhoseWorkFunctionNeverReturnsReturnsAfterItsStopTimeout()
    {
        using var release = new ManualResetEventSlim(false);
        using var started = new ManualResetEventSlim(false);
        var device = new CpuAccelerator(new CpuAcceleratorOptions { StopTimeout = TimeSpan.FromMilliseconds(100) });
        ValueTask<int> stuck = device.SubmitAsync(
            static s =>
            {
                s.Started.Set();
                s.Release.Wait();
                return 1;
            },
            (Started: started, Release: release));
        try
        {
            // Dispose only once the worker is stuck in the work function: disposed before the worker takes the
            // operation, the device fails it with ObjectDisposedException instead.
            Assert.True(started.Wait(Timeouts.Generous), "the worker never started the work function");
            await Task.Run(device.Dispose).Guarded();
            Assert.True(device.IsDisposed);
        }
        finally
        {
            release.Set();
        }

        // Once the work function returns, the worker it held up still answers its awaiter.
        Assert.Equal(1, await stuck.AsTask().Guarded());
    }
}
