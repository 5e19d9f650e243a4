using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class OffLoopSubmissionTests
{
    [Fact]
    public async Task AnOffloadAwaitedOutsideAnyLoopCompletesThroughTheFallbackPath()
    {
        using SimulatedAccelerator device = TestRig.CreateDevice();
        Assert.Null(Loop.Current);

        int[] results = await Task.WhenAll(Enumerable.Range(0, 500)
            .Select(i => device.SubmitAsync(static x => x * 3, i).AsTask())).Guarded();

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i * 3), results);
    }

    [Fact]
    public async Task OffLoopSubmissionsWaitForSlotsWhenMoreThanTheCapacityAreOutstanding()
    {
        using SimulatedAccelerator device = TestRig.CreateDevice(o =>
        {
            o.RingCapacity = 4;
            o.Lanes = 2;
        });

        int[] results = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(i => device.SubmitAsync(static x => x + 1, i).AsTask())).Guarded();

        Assert.Equal(Enumerable.Range(1, 200), results);
    }

    [Fact]
    public async Task OffLoopSubmissionsRacingDisposalEachEndWithAResultOrObjectDisposedException()
    {
        for (int round = 0; round < 20; round++)
        {
            SimulatedAccelerator device = TestRig.CreateDevice(o => o.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(20)));
            using var start = new Barrier(3);
            var submitters = Enumerable.Range(0, 2).Select(t => Task.Run(async () =>
            {
                start.SignalAndWait();
                var outcomes = new List<Task<int>>();
                for (int i = 0; i < 200; i++)
                {
                    outcomes.Add(device.SubmitAsync(static x => x, i).AsTask());
                }

                return outcomes;
            })).ToArray();

            start.SignalAndWait();
            device.Dispose();

            foreach (Task<int> outcome in (await Task.WhenAll(submitters).Guarded()).SelectMany(o => o))
            {
                try
                {
                    await outcome.Guarded();
                }
                catch (ObjectDisposedException)
                {
                    // Refused or failed by the disposal: an answer, which is all this test asks for.
                }
            }
        }
    }

    [Fact]
    public async Task WithUnsafeInlineCompletionsAnOffLoopSubmissionResumesOnTheDeviceThreadThatCompletedIt()
    {
        // Long enough that the continuation is registered before the device completes.
        using SimulatedAccelerator device = TestRig.CreateDevice(o =>
        {
            o.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMilliseconds(100));
            o.UnsafeInlineCompletions = true;
        });
        var resumedOn = new TaskCompletionSource<Thread>(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask offload = device.SubmitAsync();
        // Registered from the pool, where no synchronization context is captured.
        await Task.Run(() => offload.GetAwaiter().UnsafeOnCompleted(() => resumedOn.SetResult(Thread.CurrentThread)));
        Thread thread = await resumedOn.Task.Guarded();

        Assert.Same(device.Workers[0].Thread, thread);
        await offload;
    }

    [Fact]
    public async Task AnOrdinaryOffLoopSubmissionNeverResumesOnTheDeviceThread()
    {
        using SimulatedAccelerator device = TestRig.CreateDevice(o => o.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMilliseconds(100)));
        var resumedOn = new TaskCompletionSource<Thread>(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask offload = device.SubmitAsync();
        // Registered from the pool, where no synchronization context is captured.
        await Task.Run(() => offload.GetAwaiter().UnsafeOnCompleted(() => resumedOn.SetResult(Thread.CurrentThread)));
        Thread thread = await resumedOn.Task.Guarded();

        Assert.NotSame(device.Workers[0].Thread, thread);
        await offload;
    }
}
